/**
 * Issue 12 A3, A4 and A5 through the real server, on both runtimes: what happens at 23:30 UTC happened at
 * 07:30 the next morning in China, and every PDF, page and CSV says the China date; the PDFs print the
 * certificate number grouped and no developer words; and, the test server running on the demo keys, every
 * PDF says 演示 DEMO — with its signature still valid.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCertificateNumber } from '../../src/domain/certificateNumber.js';
import { issueBody, phoneRecordBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { applicationForm, client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let issuer: Person;
let dir: string;

/** 23:30 UTC on the 18th: already 07:30 on the 19th in China. */
const LATE_EVENING_UTC = '2026-03-18T23:30:00Z';

beforeAll(async () => {
  server = await startServer({ ECERT_TEST_CLOCK: '1' });
  staff = await setUpWorkflow(server);
  issuer = { token: await server.token('GXZGB', 'issuer'), id: '', name: 'issuer@GXZGB' };
  dir = mkdtempSync(join(tmpdir(), 'ecert-china-dates-'));
}, 240_000);
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The PDF's text (whitespace dropped, or `-raw` for the rotated watermark) and what pdfsig says of it. */
function readPdf(bytes: ArrayBuffer, name: string): { text: string; raw: string; signature: string } {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(bytes));
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const signature = execFileSync('pdfsig', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { text, raw, signature };
}

/** Words a clerk would not understand: file names, field keys, enum values, format names, instants. */
function expectNoDeveloperWords(text: string, name: string): void {
  for (const word of ['certificate.jws', 'JWS', 'SHA-256', '链哈希', 'resident_id_card', 'information_system', 'evaluation', 'engineering', 'genuine', 'issuedAt', 'checkedAt', 'undefined', 'null']) {
    expect(text, `${name}: ${word}`).not.toContain(word);
  }
  expect(text, name).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
}

const signIn = (person: Person) => signInCookie(server.baseUrl, person.token);

async function page(path: string, cookie: string, lang: 'zh' | 'en'): Promise<string> {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: lang === 'en' ? `${cookie}; ecert_lang=en` : cookie } });
  expect(res.status, path).toBe(200);
  return (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('a certificate issued at 23:30 UTC', () => {
  it('prints the China date, the number grouped, no developer words, and the demo mark; pdfsig says valid', async () => {
    const body = issueBody();
    body.decision.decidedOn = '2026-03-17'; // so that no other date on the page is the 18th
    const res = await client(server, issuer)('POST', '/api/v1/certificates', body, { now: LATE_EVENING_UTC });
    const created = await json(res);
    expect(res.status, JSON.stringify(created)).toBe(201);

    // The machine field stays the instant.
    const record = await json(await client(server, issuer)('GET', `/api/v1/certificates/${created.number}`));
    expect(record.issuedAt).toBe('2026-03-18T23:30:00.000Z');

    const pdf = await client(server, issuer)('GET', `/api/v1/certificates/${created.number}/pdf`);
    expect(pdf.status).toBe(200);
    const { text, raw, signature } = readPdf(await pdf.arrayBuffer(), 'certificate.pdf');
    // 发证日期 in the fields and under the authority's name: the China date.
    expect(text.match(/2026年3月19日/g)?.length).toBe(2);
    expect(text).not.toContain('2026年3月18日');
    // The number as the pages print it, twice (heading, under the QR code); never run together.
    const grouped = formatCertificateNumber(created.number);
    expect(text).toContain(`证书编号：${grouped}`);
    expect(text.split(grouped).length - 1).toBe(2);
    expect(text).not.toContain(created.number);
    expect(text).toContain('本文件内嵌电子签名数据，可离线核验');
    expectNoDeveloperWords(text, 'certificate');
    // The test server runs on the public demo keys.
    expect(text).toContain('演示证书DEMO—演示系统生成，不具法律效力');
    expect(raw).toContain('演示DEMO');
    expect(signature).toContain('Signature Validation: Signature is Valid.');
  });

  it('revoked for false materials at 23:30 UTC on 31 December: the ban runs from the China year, 2027', async () => {
    const issued = await client(server, issuer)('POST', '/api/v1/certificates', issueBody(), { now: '2026-12-30T10:00:00Z' });
    expect(issued.status).toBe(201);
    const { number } = await json(issued);
    const res = await client(server, issuer)('POST', `/api/v1/certificates/${number}/revocation`, { reason: 'false_materials', note: '伪造原证书' }, { now: '2026-12-31T23:30:00Z' });
    const revoked = await json(res);
    expect(res.status, JSON.stringify(revoked)).toBe(200);
    const record = await json(await client(server, issuer)('GET', `/api/v1/certificates/${number}`));
    expect(record.revocation.at).toBe('2026-12-31T23:30:00.000Z');
    const bans = await json(await client(server, issuer)('GET', `/api/v1/bans/${issueBody().holder.idNumber}`));
    expect(bans.bans).toEqual([expect.objectContaining({ startYear: 2027, endYear: 2031, certificateNumber: number })]);
  });
});

describe('a 核实 record checked at 23:30 UTC', () => {
  let id: string;
  let cookie: string;

  beforeAll(async () => {
    const at = '2026-11-20T23:30:00Z';
    const res = await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({}, at), { now: '2026-11-21T01:00:00Z' });
    const created = await json(res);
    expect(res.status, JSON.stringify(created)).toBe(201);
    id = created.id;
    cookie = await signIn(staff.handler);
  });

  it('the record sheet PDF says 2026年11月21日 07:30 and the China day, with the demo mark; pdfsig says valid', async () => {
    const record = await json(await client(server, staff.handler)('GET', `/api/v1/verification-records/${id}`));
    expect(record.checkedAt).toBe('2026-11-21T07:30:00+08:00');
    expect(record.recordedOn).toBe('2026-11-21');

    const pdf = await client(server, staff.handler)('GET', `/api/v1/verification-records/${id}/pdf`, undefined, { now: '2026-11-21T01:05:00Z' });
    expect(pdf.status).toBe(200);
    const { text, raw, signature } = readPdf(await pdf.arrayBuffer(), 'record.pdf');
    expect(text).toContain('核查时间：2026年11月21日07:30');
    expect(text).toContain('通话时间：2026年11月21日07:30');
    expect(text).not.toContain('2026年11月20日');
    expect(text).not.toContain('23:30');
    expect(text).toMatch(/防篡改校验码：[0-9a-f]{16}/);
    expectNoDeveloperWords(text, 'record sheet');
    expect(text).toContain('演示记录单DEMO—演示系统生成，不具法律效力');
    expect(raw).toContain('演示DEMO');
    expect(signature).toContain('Signature Validation: Signature is Valid.');
  });

  it('the CSV says the China time and day', async () => {
    const res = await client(server, staff.handler)('GET', '/api/v1/verification-records?format=csv');
    expect(res.status).toBe(200);
    const row = (await res.text()).split('\r\n').find((line) => line.startsWith(id))!;
    expect(row).toContain('2026年11月21日 07:30');
    expect(row).toContain(',2026-11-21,');
    expect(row).not.toContain('23:30');
  });

  it('the record page and the list say the China time, in each page language', async () => {
    const zh = await page(`/console/records/${id}`, cookie, 'zh');
    expect(zh).toContain('2026年11月21日 07:30');
    expect(zh).not.toContain('23:30');
    const en = await page(`/console/records/${id}`, cookie, 'en');
    expect(en).toContain('2026-11-21 07:30 (UTC+8)');
    expect(en).not.toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    const list = await page('/console/records', cookie, 'en');
    expect(list).toContain('2026-11-21 07:30 (UTC+8)');
  });
});

describe('a reconfirmation case created at 23:30 UTC', () => {
  let id: string;

  beforeAll(async () => {
    const res = await client(server, staff.applicant)('POST', '/api/v1/reconfirmations', applicationForm(), { now: '2026-09-20T23:30:00Z' });
    const created = await json(res);
    expect(res.status, JSON.stringify(created)).toBe(201);
    id = created.id;
    // A department's 核实 record on the case, checked at 23:30 UTC.
    const record = await client(server, staff.handler)('POST', '/api/v1/verification-records', phoneRecordBody({ applicationId: id }, '2026-09-21T23:30:00Z'), { now: '2026-09-22T00:00:00Z' });
    expect(record.status).toBe(201);
  });

  it('the approval form is dated the China day, with the demo mark on every page; pdfsig says valid', async () => {
    const pdf = await client(server, staff.applicant)('GET', `/api/v1/reconfirmations/${id}/form.pdf`);
    expect(pdf.status).toBe(200);
    const { text, raw, signature } = readPdf(await pdf.arrayBuffer(), 'form.pdf');
    // 填表时间 on the cover (the only full date of a draft's form but the original acquisition).
    expect(text).toContain('2026年9月21日');
    expect(text).not.toContain('2026年9月20日');
    expectNoDeveloperWords(text, 'approval form');
    const pages = Number(/第1页共(\d+)页/.exec(text)![1]);
    expect(text.match(/演示审批表DEMO—演示系统生成，不具法律效力/g)?.length).toBe(pages);
    expect(raw.match(/演示DEMO/g)?.length).toBe(pages);
    expect(signature).toContain('Signature Validation: Signature is Valid.');
  });

  it('the case page and the queue say the China time and day, in each page language', async () => {
    const cookie = await signIn(staff.auditor);
    const zh = await page(`/console/cases/${id}`, cookie, 'zh');
    expect(zh).toContain('2026年9月21日 07:30'); // created
    expect(zh).toContain('2026年9月22日 07:30'); // the 核实 record's check
    const en = await page(`/console/cases/${id}`, cookie, 'en');
    expect(en).toContain('2026-09-21 07:30 (UTC+8)');
    expect(en).toContain('2026-09-22 07:30 (UTC+8)');
    expect(en).not.toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    // The queue's 更新日期: the case was last changed on the 21st, China time.
    const queue = await page('/console/cases', cookie, 'zh');
    expect(queue).toContain('2026年9月21日');
    expect(queue).not.toContain('2026年9月20日');
  });
});
