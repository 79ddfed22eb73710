/**
 * services/caseStatements through the API in-process (issue 16 item 2; notice 四(二), 四(四)): every opinion or
 * decision of an organisation on a case is its statement, sealed by its electronic seal, chained per case and
 * checked against the root and the history; GET /api/v1/reconfirmations/{id}/statements returns them. An
 * opinion edited in the database afterwards is found, with its step named.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseStatement } from '../../src/crypto/caseStatement.js';
import { caseThroughAuthority } from '../support/journey.js';
import { ROOT } from '../support/server.js';
import { addPerson, applicationForm, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';
import { expectNoServerError, expectProblem, expectTokenRequired, HOSTILE, on, openApi, residentId, tally, type InProcessApi } from '../http/api/support.js';

const BASE = '/api/v1/reconfirmations';
const rootPem = readFileSync(join(ROOT, 'keys.example/root.pem'), 'utf8');
let api: InProcessApi;
let staff: Staff;
let otherUnitHr: Person;

beforeAll(async () => {
  api = await openApi();
  staff = await setUpWorkflow(api);
  otherUnitHr = await addPerson(api, staff.admin, 'GXJT01', 'unit_hr', '何静');
  // The unit, the city office and the region office hold seals, made through the admin API on a day before the
  // case (the test clock); the competent department NNJTJ has none yet.
  for (const [code, uscc] of [['NNLQ01', '91440300708461136T'], ['NNZGB', '91110000100010433L'], ['GXZGB', '91350100M000100Y43']] as const) {
    const set = await api.call(staff.admin, 'PUT', `/api/v1/organisations/${code}/uscc`, { json: { uscc }, now: on('2026-09-01') });
    expect(set.status, set.text).toBe(200);
    const made = await api.call(staff.admin, 'POST', `/api/v1/organisations/${code}/seals`, { json: {}, now: on('2026-09-01') });
    expect(made.status, made.text).toBe(201);
  }
}, 60_000);
afterAll(() => api?.stop());

/** A case from the applicant to its certificate, every organisation's step taken. */
const issuedCase = (serial: number) => caseThroughAuthority(api, staff, serial, 'issue');

describe('GET /api/v1/reconfirmations/{id}/statements', () => {
  let id = '';
  beforeAll(async () => {
    id = await issuedCase(21);
  }, 60_000);

  it('lists each organisation’s step in order, sealed by its own seal, the chain intact; the applicant’s own steps are not statements', async () => {
    const res = await api.call(staff.approver, 'GET', `${BASE}/${id}/statements`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const { statements, problems, intact } = res.body;
    expect([intact, problems]).toEqual([true, []]);
    expect(statements.map((s: any) => [s.step, s.org.code, s.sealed, s.sealValid])).toEqual([
      ['receive', 'NNLQ01', true, true],
      ['start_notice', 'NNLQ01', true, true],
      ['endorse', 'NNLQ01', true, true],
      ['forward', 'NNLQ01', true, true],
      ['forward', 'NNJTJ', false, null], // no seal yet: kept, and shown as unsealed
      ['forward', 'NNZGB', true, true],
      ['approve', 'GXZGB', true, true],
      ['issue', 'GXZGB', true, true],
    ]);
    const endorse = statements[2];
    expect(endorse).toMatchObject({ stepName: { zh: '签署单位意见' }, opinion: '同意上报。', seal: { code: 'NNLQ01', name: '南宁路桥工程有限公司', uscc: '91440300708461136T' } });
    // Each names the digest of the one before it, and each seal checks offline against the root alone.
    for (const [i, s] of statements.entries()) {
      if (!s.jws) continue;
      const offline = await verifyCaseStatement(s.jws, { rootPem });
      expect(offline.valid).toBe(true);
      if (offline.valid) expect(offline.payload.prev).toBe(i === 0 ? null : statements[i - 1].digest);
    }
  });

  it('the certificate issued from the case says whose seal its approval bears, on the verification JSON and page', async () => {
    const number = (await api.call(staff.approver, 'GET', `${BASE}/${id}`)).body.certificateNumber as string;
    const certificate = await api.call(staff.approver, 'GET', `/api/v1/certificates/${number}`);
    const link = new URL(certificate.body.verifyUrl as string);
    const verified = await api.call(null, 'GET', `${link.pathname}${link.search}`, { headers: { Accept: 'application/json' } });
    expect(verified.body.status, verified.text).toBe('valid');
    expect(verified.body.certificate.basis).toMatchObject({ kind: 'case', caseId: id, sealedBy: { name: '广西壮族自治区职称改革工作领导小组办公室', uscc: '91350100M000100Y43', at: '2026-10-20T02:00:00.000Z' } });
    const page = await api.call(null, 'GET', `${link.pathname}${link.search}`, { headers: { Accept: 'text/html' } });
    expect(page.text).toContain('确认决定由广西壮族自治区职称改革工作领导小组办公室加盖电子印章（2026年10月20日）');
  });

  it('to those the case passed (the applicant too); absent (404) to another unit and for an unknown or hostile id; a token required', async () => {
    for (const person of [staff.applicant, staff.unitHr, staff.departmentReviewer, staff.cityStaff, staff.auditor]) {
      expect((await api.call(person, 'GET', `${BASE}/${id}/statements`)).status).toBe(200);
    }
    expectProblem(await api.call(otherUnitHr, 'GET', `${BASE}/${id}/statements`), 404, 'not_found');
    expectProblem(await api.call(staff.approver, 'GET', `${BASE}/RC-NOPE/statements`), 404, 'not_found');
    for (const hostile of HOSTILE) expectNoServerError(await api.call(staff.approver, 'GET', `${BASE}/${encodeURIComponent(hostile)}/statements`));
    await expectTokenRequired(api, 'GET', `${BASE}/${id}/statements`);
  });

  it('30 receipts of one case at once: one statement, sealed, in the batch of the one event that landed', async () => {
    const fresh = await api.call(staff.applicant, 'POST', BASE, { json: applicationForm({ idNumber: residentId('19850101', 22, 'female') }), now: on('2026-09-25') });
    const caseId = fresh.body.id as string;
    const { db } = api.context;
    // Submitted straight in the database: the receipt is what is raced here.
    db.prepare("UPDATE applications SET status = 'submitted' WHERE id = ?").run(caseId);
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.unitHr, 'POST', `${BASE}/${caseId}/receive`, { json: {}, now: on('2026-09-28') })));
    expect(tally(answers)).toEqual({ 200: 1, 409: 29 });
    const rows = db.prepare('SELECT seq, jws IS NOT NULL AS sealed FROM case_statements WHERE application_id = ?').all(caseId);
    const events = db.prepare("SELECT seq FROM application_events WHERE application_id = ? AND action = 'receive'").all(caseId);
    expect(rows).toEqual([{ seq: (events[0] as { seq: number }).seq, sealed: 1 }]);
  });

  it('an opinion edited in the database, or a sealed statement rewritten, is found and its step named', async () => {
    const caseId = await issuedCase(23);
    const { db } = api.context;
    // Someone with the database file in hand lifts the append-only guards first.
    for (const trigger of ['application_events_no_update', 'case_statements_no_update']) db.exec(`DROP TRIGGER ${trigger}`);
    const endorse = db.prepare("SELECT seq FROM application_events WHERE application_id = ? AND action = 'endorse'").get(caseId) as { seq: number };
    db.prepare('UPDATE application_events SET opinion = ? WHERE application_id = ? AND seq = ?').run('不同意上报。', caseId, endorse.seq);
    const approve = db.prepare("SELECT seq, payload FROM case_statements WHERE application_id = ? AND payload LIKE '%\"approve\"%'").get(caseId) as { seq: number; payload: string };
    db.prepare('UPDATE case_statements SET payload = ? WHERE application_id = ? AND seq = ?').run(approve.payload.replace('"同意。"', '"不同意。"'), caseId, approve.seq);
    const res = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`);
    expect(res.status).toBe(200);
    expect(res.body.intact).toBe(false);
    const said = res.body.problems.map((p: any) => [p.seq, p.message.zh]);
    expect(said).toContainEqual([endorse.seq, expect.stringContaining(`第 ${endorse.seq} 步的办理记录（意见、经办人或时间）与南宁路桥工程有限公司签章的声明不符`)]);
    expect(said).toContainEqual([approve.seq, expect.stringContaining('存储的声明与印章所签内容不一致')]);
    expect(said).toContainEqual([approve.seq, expect.stringContaining('签章声明内容被改动')]);
    expect(res.body.statements.find((s: any) => s.seq === approve.seq)).toMatchObject({ sealValid: false });
  }, 60_000);

  it('a revoked seal seals nothing more, and what it sealed before stays valid; a statement dated after its revocation is not', async () => {
    const caseId = await issuedCase(25);
    const seals = await api.call(staff.admin, 'GET', '/api/v1/organisations/NNLQ01/seals', { now: on('2026-11-01') });
    const active = seals.body.items.find((s: { status: string }) => s.status === 'active');
    const revoked = await api.call(staff.admin, 'POST', `/api/v1/organisations/NNLQ01/seals/${active.id}/revocation`, { json: { reason: '印章遗失' }, now: on('2026-11-01') });
    expect(revoked.status, revoked.text).toBe(200);
    const after = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`, { now: on('2026-11-02') });
    expect(after.body.intact, after.text).toBe(true);
    expect(after.body.statements.filter((s: any) => s.org.code === 'NNLQ01').every((s: any) => s.sealValid === true)).toBe(true);
    // The unit's next case: its steps are now kept unsealed, never sealed with the revoked key.
    const next = await api.call(staff.applicant, 'POST', BASE, { json: applicationForm({ idNumber: residentId('19850101', 26, 'female') }), now: on('2026-11-02') });
    api.context.db.prepare("UPDATE applications SET status = 'submitted' WHERE id = ?").run(next.body.id);
    expect((await api.call(staff.unitHr, 'POST', `${BASE}/${next.body.id}/receive`, { json: {}, now: on('2026-11-03') })).status).toBe(200);
    const unsealed = await api.call(staff.unitHr, 'GET', `${BASE}/${next.body.id}/statements`, { now: on('2026-11-03') });
    expect(unsealed.body.statements.map((s: any) => [s.step, s.sealed])).toEqual([['receive', false]]);
    // What proves "before" is the service's timestamp: a statement of the revoked seal whose timestamp is gone is refused.
    const { db } = api.context;
    db.exec('DROP TRIGGER IF EXISTS case_statements_no_update');
    const receive = after.body.statements.find((s: any) => s.step === 'receive');
    expect(receive.stampedAt).toBe('2026-09-28T02:00:00.000Z');
    db.prepare('UPDATE case_statements SET timestamp = NULL WHERE application_id = ? AND seq = ?').run(caseId, receive.seq);
    const unstamped = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`, { now: on('2026-11-02') });
    expect(unstamped.body.problems.map((p: any) => [p.seq, p.message.zh])).toEqual([[receive.seq, expect.stringContaining('没有有效的服务时间戳，不能证明盖章在注销之前')]]);
    // Had the key been used after its revocation (its record says it was revoked before the unit's steps), those
    // statements are refused, each named.
    api.context.db.prepare('UPDATE seals SET revoked_at = ? WHERE id = ?').run('2026-09-01T00:00:00.000Z', active.id);
    const forged = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`, { now: on('2026-11-03') });
    expect(forged.body.intact).toBe(false);
    expect(forged.body.statements.filter((s: any) => s.org.code === 'NNLQ01' && s.seq !== receive.seq).map((s: any) => s.sealProblem?.zh)).toEqual(Array(3).fill('该印章已于 2026年9月1日 08:00 注销，此后所盖无效'));
  }, 60_000);

  it('the approval form of a case whose opinion was edited afterwards says where, and seals no box over the edited opinion', async () => {
    const caseId = await caseThroughAuthority(api, staff, 27, 'authority_review');
    const { db } = api.context;
    db.exec('DROP TRIGGER IF EXISTS application_events_no_update');
    const endorse = db.prepare("SELECT seq FROM application_events WHERE application_id = ? AND action = 'endorse'").get(caseId) as { seq: number };
    db.prepare('UPDATE application_events SET opinion = ? WHERE application_id = ? AND seq = ?').run('该同志表现一般。', caseId, endorse.seq);
    const form = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/form.pdf`, { now: on('2026-10-21') });
    expect(form.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'ecert-disputed-'));
    writeFileSync(join(dir, 'f.pdf'), form.bytes);
    const text = execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(`签章核对不符：第${endorse.seq}步的办理记录（意见、经办人或时间）与南宁路桥工程有限公司签章的声明不符`);
    const signers = execFileSync('pdfsig', [join(dir, 'f.pdf')], { encoding: 'utf8' });
    expect(signers).toContain('南宁市职称改革工作领导小组办公室'); // the city office's opinion still stands under its seal
    expect(signers).not.toContain('南宁路桥工程有限公司'); // the unit's edited opinion gets none
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a revocation is the authority’s sealed statement, with its ban; 20 at once revoke once and seal once; the verification says whose seal', async () => {
    const caseId = await issuedCase(28);
    const number = (await api.call(staff.approver, 'GET', `${BASE}/${caseId}`)).body.certificateNumber as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.call(staff.approver, 'POST', `/api/v1/certificates/${number}/revocation`, { json: { reason: 'false_materials', note: '原职称证书系伪造。' }, now: on('2026-11-05') })),
    );
    expect(tally(answers), answers.find((a) => a.status === 503)?.text).toEqual({ 200: 1, 409: 19 });
    const rows = api.context.db.prepare('SELECT jws FROM case_statements WHERE application_id = ?').all(`certificate:${number}`) as { jws: string }[];
    expect(rows).toHaveLength(1);
    // Racers in the same millisecond all passed the revocation's guard: only one batch landed, ban and audit row with it.
    const count = (sql: string) => (api.context.db.prepare(sql).get(number) as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM bans WHERE certificate_number = ?')).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM audit_events WHERE subject = 'certificate:' || ? AND action = 'certificate.revoke'")).toBe(1);
    const offline = await verifyCaseStatement(rows[0]!.jws, { rootPem });
    expect(offline.valid).toBe(true);
    if (offline.valid) {
      expect(offline.seal.code).toBe('GXZGB');
      expect(offline.payload).toMatchObject({ step: 'revoke', opinion: '原职称证书系伪造。', data: { reason: 'false_materials', ban: { startYear: 2026, endYear: 2030 } } });
    }
    const certificate = await api.call(staff.approver, 'GET', `/api/v1/certificates/${number}`);
    const link = new URL(certificate.body.verifyUrl as string);
    const verified = await api.call(null, 'GET', `${link.pathname}${link.search}`, { headers: { Accept: 'application/json' }, now: on('2026-11-06') });
    expect(verified.body.status).toBe('revoked');
    expect(verified.body.certificate.revocation.sealedBy).toEqual({ name: '广西壮族自治区职称改革工作领导小组办公室', uscc: '91350100M000100Y43', at: '2026-11-05T02:00:00.000Z' });
    const page = await api.call(null, 'GET', `${link.pathname}${link.search}`, { headers: { Accept: 'text/html' }, now: on('2026-11-06') });
    expect(page.text).toContain('撤销决定由广西壮族自治区职称改革工作领导小组办公室加盖电子印章');
  }, 60_000);

  it('a certificate’s statement is held against the certificate: a sealed statement copied under another version is found', async () => {
    const revokedCase = await issuedCase(31);
    const validCase = await issuedCase(32);
    const numberOf = async (caseId: string) => (await api.call(staff.approver, 'GET', `${BASE}/${caseId}`)).body.certificateNumber as string;
    const [revoked, valid] = [await numberOf(revokedCase), await numberOf(validCase)];
    expect((await api.call(staff.approver, 'POST', `/api/v1/certificates/${revoked}/revocation`, { json: { reason: 'issued_in_error', note: '误发' }, now: on('2026-11-05') })).status).toBe(200);
    const own = await api.call(staff.approver, 'GET', `/api/v1/certificates/${revoked}/statements`);
    expect([own.body.intact, own.body.statements.map((x: any) => [x.step, x.stepName.zh, x.sealValid])]).toEqual([true, [['revoke', '撤销证书', true]]]);
    // Someone with the database copies that valid, sealed statement under the version still in force.
    const { db } = api.context;
    db.exec('CREATE TEMP TABLE copied AS SELECT * FROM case_statements WHERE 0');
    db.prepare('INSERT INTO copied SELECT * FROM case_statements WHERE application_id = ?').run(`certificate:${revoked}`);
    db.prepare('UPDATE copied SET application_id = ?').run(`certificate:${valid}`);
    db.exec('INSERT INTO case_statements SELECT * FROM copied; DROP TABLE copied');
    const forged = await api.call(staff.approver, 'GET', `/api/v1/certificates/${valid}/statements`);
    expect(forged.status).toBe(200);
    expect(forged.body.statements[0].sealValid).toBe(true); // the seal itself is genuine …
    expect(forged.body.intact).toBe(false); // … but not about this certificate
    const said = forged.body.problems.map((x: any) => x.message.zh).join('\n');
    expect(said).toContain('说的是另一份证书');
    expect(said).toContain('所指的不是本证书签名的内容');
    expect(said).toContain('与证书现状不符');
  }, 90_000);

  it('statements are append-only: an update or delete is refused by the database', async () => {
    const caseId = await issuedCase(24);
    const { db } = api.context;
    expect(() => db.prepare('DELETE FROM case_statements WHERE application_id = ?').run(caseId)).toThrow(/append-only/);
  }, 60_000);

  it('statements deleted, a timestamp forged, a payload gutted: each step named; the form then seals none of those opinions', async () => {
    const caseId = await caseThroughAuthority(api, staff, 29, 'authority_review');
    const { db } = api.context;
    for (const trigger of ['case_statements_no_update', 'case_statements_no_delete']) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    const seqs = (db.prepare('SELECT seq FROM case_statements WHERE application_id = ? ORDER BY seq').all(caseId) as { seq: number }[]).map((r) => r.seq);
    const [first, second, third, ...rest] = seqs;
    db.prepare('DELETE FROM case_statements WHERE application_id = ? AND seq IN (?, ?)').run(caseId, ...rest.slice(-2));
    db.prepare("UPDATE case_statements SET timestamp = 'x.y.z' WHERE application_id = ? AND seq = ?").run(caseId, second);
    db.prepare('UPDATE case_statements SET payload = ? WHERE application_id = ? AND seq = ?').run(JSON.stringify({ v: 1, seq: third, step: 'endorse' }), caseId, third);
    const res = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`);
    expect(res.status).toBe(200);
    const said = res.body.problems.map((p: any) => `${p.seq}:${p.message.zh}`);
    for (const seq of rest.slice(-2)) expect(said).toContainEqual(expect.stringMatching(new RegExp(`^${seq}:第 ${seq} 步的签章声明缺失`)));
    expect(said).toContainEqual(expect.stringMatching(new RegExp(`^${second}:第 ${second} 步的服务时间戳无效`)));
    expect(said).toContainEqual(expect.stringMatching(new RegExp(`^${third}:第 ${third} 步的签章声明无法读取`)));
    expect(first).toBeDefined();
    // Every statement of the case deleted: still found, step by step, and the form seals no opinion.
    db.prepare('DELETE FROM case_statements WHERE application_id = ?').run(caseId);
    const none = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/statements`);
    expect(none.body.intact).toBe(false);
    expect(none.body.problems.length).toBe(seqs.length);
    const form = await api.call(staff.approver, 'GET', `${BASE}/${caseId}/form.pdf`, { now: on('2026-10-21') });
    const dir = mkdtempSync(join(tmpdir(), 'ecert-unsealed-'));
    writeFileSync(join(dir, 'f.pdf'), form.bytes);
    expect(execFileSync('pdfsig', [join(dir, 'f.pdf')], { encoding: 'utf8' }).match(/^Signature #/gm)).toHaveLength(1); // the service's alone
    expect(execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('签章核对不符');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
