/**
 * Notice 四(一): false materials bar the person from applying for a title PROMOTION (申报晋升职称) for five
 * years from the year of the revocation (or application). The ban is recorded with the revocation and read
 * by staff with what it bars; the register downloads as CSV for the auditor (full ID numbers, names and notes
 * for auditors only; other staff get them masked and no notes, 四(四)). It does not bar reconfirmation: a banned person's new case is taken, every reviewer sees the ban on
 * it — in the API and on the case page — and the authority may still approve and issue. The applicant reading
 * their own case is told what bars them, not the unit's file on it: no note, certificate number or name (四(四)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCertificateNumber } from '../../src/domain/certificateNumber.js';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody, phoneRecordBody } from '../support/fixtures.js';
import { call, caseAtDepartment } from '../support/journey.js';
import { signInCookie } from '../support/session.js';
import { client, json, platformAcceptance, setUpWorkflow, socialInsuranceCheck, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let issuer: string;
let revoked: string; // the certificate whose false-materials revocation bans 李四

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
}, 180_000);
afterAll(async () => server?.stop());

const LI_SI = { name: '李四', idNumber: '450103198501010026', gender: 'female' as const };
const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const headers = () => ({ Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' });
const issue = (body: unknown) => fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
const NOTE = '经查实，学历证明系伪造（见王五举报材料）';
const revoke = (number: string, reason: string) =>
  fetch(`${server.baseUrl}/api/v1/certificates/${number}/revocation`, { method: 'POST', headers: headers(), body: JSON.stringify({ reason, note: NOTE }) });
const read = (token: string | null, path: string) => fetch(`${server.baseUrl}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

describe('the five-year ban', () => {
  it('is recorded with a false-materials revocation, says it bars 申报晋升职称, and does not refuse a new issuance', async () => {
    const created = (await (await issue(issueBody(LI_SI))).json()) as { number: string };
    revoked = created.number;
    expect((await json(await read(issuer, `/api/v1/bans/${LI_SI.idNumber}`))).banned).toBe(false);
    expect((await revoke(created.number, 'false_materials')).status).toBe(200);
    const status = await json(await read(issuer, `/api/v1/bans/${LI_SI.idNumber}`));
    expect(status).toMatchObject({ banned: true, until: `${year + 4}-12-31`, clause: '四(一)', bars: { code: 'title_promotion', zh: '申报晋升职称' } });
    expect(status.bans[0]).toMatchObject({ startYear: year, endYear: year + 4, inForce: true, certificateNumber: created.number });
    expect(status.bans[0].message.zh).toBe(`因提交虚假材料被撤销职称确认，${year}年至${year + 4}年不得申报晋升职称（桂职办〔2020〕132号 四(一)）`);
    // A certificate of a confirmed title is not a promotion: the issuer decides, the service refuses nothing.
    expect((await issue(issueBody(LI_SI))).status).toBe(201);
  });

  it('is not recorded for a revocation issued in error, and is for staff only', async () => {
    const created = (await (await issue(issueBody())).json()) as { number: string };
    expect((await revoke(created.number, 'issued_in_error')).status).toBe(200);
    expect((await json(await read(issuer, '/api/v1/bans/450102198005120019'))).banned).toBe(false);
    expect((await read(null, '/api/v1/bans/450102198005120019')).status).toBe(401);
    expect((await read(null, '/api/v1/bans')).status).toBe(401);
    expect((await read(staff.applicant.token, '/api/v1/bans')).status).toBe(403);
  });

  it('downloads as the register: CSV with China dates and what it bars, full ID numbers for the auditor, masked for other staff', async () => {
    const csv = await read(staff.auditor.token, '/api/v1/bans?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(encodeURIComponent('申报晋升职称禁止名单.csv'));
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // Excel's UTF-8 mark
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('姓名,身份证号码,禁止事项,起始年度,截止年度,截止日期,今日是否在禁止期内,依据')).toBe(true);
    const rows = text.trim().split('\r\n');
    expect(rows).toHaveLength(2); // the error revocation recorded none
    expect(rows[1]).toContain(`李四,${LI_SI.idNumber},申报晋升职称,${year}年,${year + 4}年,${year + 4}年12月31日,是,桂职办〔2020〕132号 四(一),撤销已确认的职称,${revoked},${NOTE},`);
    expect(rows[0]).toContain('撤销的证书编号,说明,记录时间');

    // Other staff: the name and ID number masked, the note (which may name other people or files) left out (四(四)).
    const handlerCsv = await (await read(staff.handler.token, '/api/v1/bans?format=csv')).text();
    const handlerRows = handlerCsv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(handlerRows[0]).toBe('姓名,身份证号码,禁止事项,起始年度,截止年度,截止日期,今日是否在禁止期内,依据,缘由,撤销的证书编号,记录时间');
    expect(handlerRows[1]).toContain(`李*,4501**********0026,申报晋升职称,${year}年,${year + 4}年,${year + 4}年12月31日,是,桂职办〔2020〕132号 四(一),撤销已确认的职称,${revoked},`);
    expect(handlerCsv).not.toContain('李四');
    expect(handlerCsv).not.toContain('经查实');
    expect(handlerCsv).not.toContain(LI_SI.idNumber);

    const forAuditor = await json(await read(staff.auditor.token, '/api/v1/bans'));
    expect(forAuditor).toMatchObject({ total: 1, bars: { zh: '申报晋升职称' }, items: [{ idNumber: LI_SI.idNumber, holderName: '李四', note: NOTE, inForce: true }] });
    const forIssuer = await json(await read(issuer, '/api/v1/bans?inForce=true'));
    // Was holderName '李四' before 四(四) masking: names are masked like ID numbers for staff other than auditors.
    expect(forIssuer.items).toMatchObject([{ idNumber: '4501**********0026', holderName: '李*', certificateNumber: revoked }]);
    expect(forIssuer.items[0]).not.toHaveProperty('note');
    expect((await json(await read(issuer, '/api/v1/bans?inForce=false'))).total).toBe(0);
    expect((await read(issuer, '/api/v1/bans?format=xml')).status).toBe(422);

    // The console's records list offers the same download to the auditor signed in with a browser.
    const cookie = await signInCookie(server.baseUrl, staff.auditor.token);
    const auditorList = await (await fetch(`${server.baseUrl}/console/records`, { headers: { Cookie: cookie } })).text();
    expect(auditorList).toContain('href="/console/bans.csv"');
    expect(auditorList).toContain('下载申报晋升职称禁止名单 CSV（四(一)）');
    const download = await fetch(`${server.baseUrl}/console/bans.csv`, { headers: { Cookie: cookie } });
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await download.text()).toContain(`李四,${LI_SI.idNumber},申报晋升职称`);

    // The handler's list offers it too, saying it comes masked; and the console download is masked alike.
    const handlerCookie = await signInCookie(server.baseUrl, staff.handler.token);
    const handlerList = await (await fetch(`${server.baseUrl}/console/records`, { headers: { Cookie: handlerCookie } })).text();
    expect(handlerList).toContain('href="/console/bans.csv"');
    expect(handlerList).toContain('姓名、身份证号码已部分隐藏');
    const handlerDownload = await (await fetch(`${server.baseUrl}/console/bans.csv`, { headers: { Cookie: handlerCookie } })).text();
    expect(handlerDownload).toContain('李*,4501**********0026,申报晋升职称');
    expect(handlerDownload).not.toContain('经查实');
  });

  it('does not refuse a banned person’s reconfirmation: every reviewer sees the ban on the case, and the authority decides', async () => {
    const id = await caseAtDepartment(server, staff);
    const seen = await call(server, staff.departmentReviewer, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-10-13');
    expect(seen.body.bans).toMatchObject([{ clause: '四(一)', startYear: year, endYear: year + 4, inForce: true, bars: { zh: '申报晋升职称' }, source: 'revocation' }]);
    expect(seen.body.bans[0]).not.toHaveProperty('idNumber');
    expect(seen.body.bans[0]).toMatchObject({ note: NOTE, certificateNumber: revoked, holderName: '李四' }); // staff keep the facts

    // 四(四): the applicant reading their own case is told what bars them, its clause, years and whether it runs — not the note, number or name.
    const own = await call(server, staff.applicant, 'GET', `/api/v1/reconfirmations/${id}`, undefined, '2026-10-13');
    expect(own.status).toBe(200);
    expect(own.body.bans).toEqual([
      { id: expect.any(String), clause: '四(一)', startYear: year, endYear: year + 4, source: 'revocation', inForce: true, bars: expect.objectContaining({ zh: '申报晋升职称' }), message: expect.objectContaining({ zh: `因提交虚假材料被撤销职称确认，${year}年至${year + 4}年不得申报晋升职称（桂职办〔2020〕132号 四(一)）` }) },
    ]);
    expect(JSON.stringify(own.body.bans)).not.toContain('经查实');
    expect(JSON.stringify(own.body.bans)).not.toContain(revoked);
    const ownPage = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.applicant.token) } });
    const ownHtml = await ownPage.text();
    expect(ownPage.status).toBe(200);
    expect(ownHtml).toContain(`${year}年至${year + 4}年不得申报晋升职称`);
    expect(ownHtml).not.toContain('经查实');
    expect(ownHtml).not.toContain('王五');
    expect(ownHtml).not.toContain(revoked);
    expect(ownHtml).not.toContain(formatCertificateNumber(revoked));

    const page = await fetch(`${server.baseUrl}/console/cases/${id}`, { headers: { Cookie: await signInCookie(server.baseUrl, staff.departmentReviewer.token) } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('申报晋升职称禁止情况（四(一)）');
    expect(html).toContain(`${year}年至${year + 4}年不得申报晋升职称`);
    expect(html).toContain('不限制职称重新确认');
    expect(html).toContain(NOTE); // the reviewer sees the unit's note
    expect(html).toContain(formatCertificateNumber(revoked));

    expect((await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({ applicationId: id }, '2026-10-13T10:30:00+08:00'))).status).toBe(201);
    expect((await call(server, staff.departmentReviewer, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '已知其禁止情况，仍同意报送。', socialInsuranceCheck: socialInsuranceCheck('2026-10-13') }, '2026-10-13')).status).toBe(200);
    expect((await call(server, staff.cityStaff, 'POST', `/api/v1/reconfirmations/${id}/forward`, { opinion: '同意报送。', platformAcceptance: platformAcceptance('2026-10-14') }, '2026-10-14')).status).toBe(200);
    const approved = await call(server, staff.approver, 'POST', `/api/v1/reconfirmations/${id}/approve`, { decisionNumber: '桂职办〔2026〕90号', decidedOn: '2026-10-20', opinion: '禁止只限晋升，同意确认。' }, '2026-10-20');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.events.at(-1)).toMatchObject({ action: 'approve', data: { bansInForce: [{ startYear: year, endYear: year + 4 }] } });
    const issued = await call(server, staff.approver, 'POST', `/api/v1/reconfirmations/${id}/issue`, {}, '2026-10-20');
    expect(issued.body).toMatchObject({ status: 'issued', bans: [{ inForce: true }] });
  });
});
