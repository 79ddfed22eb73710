/**
 * The 核实 log over HTTP, on both runtimes: handlers write, handlers and auditors of the organisation read,
 * others and the public get nothing; each method's required details; supersession; attachment 2 as PDF with
 * real glyphs; CSV for Excel.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';

let server: RunningServer;
let handler: string;
let auditor: string;
let otherHandler: string;
let issuer: string;

const screenshot = () => `data:image/png;base64,${readFileSync(join(ROOT, 'test/fixtures/photo.png')).toString('base64')}`;

const phoneBody = (overrides: Record<string, unknown> = {}) => phoneRecordBody(overrides);

async function post(body: unknown, token = handler, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}/api/v1/verification-records`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const get = (path: string, token?: string) => fetch(`${server.baseUrl}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  server = await startServer();
  [handler, auditor, otherHandler, issuer] = await Promise.all([
    server.token('GXZGB', 'handler'),
    server.token('GXZGB', 'auditor'),
    server.token('NNZGB', 'handler'),
    server.token('GXZGB', 'issuer'),
  ]);
});
afterAll(async () => server?.stop());

describe('verification records', () => {
  it('records a phone verification and prints attachment 2 with real glyphs', async () => {
    const res = await post(phoneBody());
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; hash: string; pdfUrl: string };
    expect(created.hash).toMatch(/^[0-9a-f]{64}$/);
    const pdf = await fetch(created.pdfUrl, { headers: { Authorization: `Bearer ${auditor}` } });
    expect(pdf.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'ecert-vr-'));
    writeFileSync(join(dir, 'r.pdf'), new Uint8Array(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of ['职称重新确认职称核实情况记录单', '李四', '450103198501010026', '高级工程师', '信息系统', '发函', '电话', '其他', '经核实，李四同志取得的高级工程师职称真实有效。', '赵六', '0731-84900000']) {
      expect(text).toContain(expected);
    }
    // Real glyphs: with no system font to stand in, the page still carries ink.
    writeFileSync(join(dir, 'fonts.conf'), '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>');
    execFileSync('pdftoppm', ['-r', '50', '-gray', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'p')], { env: { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf') } });
    const pgm = readFileSync(join(dir, execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').find((f) => f.endsWith('.pgm'))!));
    const dark = pgm.subarray(pgm.length - 413 * 585).filter((v) => v < 128).length;
    expect(dark).toBeGreaterThan(2000);

    const view = (await (await get(`/api/v1/verification-records/${created.id}`, handler)).json()) as { id: string; method?: string; details: { method: string }; resultSentence: { zh: string } };
    expect(view.details.method).toBe('phone');
    expect(view.resultSentence.zh).toBe('经核实，李四同志取得的高级工程师职称真实有效。');
  });

  it('names every missing detail of the chosen method', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ method: 'phone', phone: { organisation: '湖南省人社厅' } }, ['phone.position', 'phone.name', 'phone.number', 'phone.calledAt']],
      [{ method: 'information_system', phone: undefined, informationSystem: { name: '全国专业技术人员职称查询系统' } }, ['informationSystem.url', 'informationSystem.evidence']],
      [{ method: 'letter', phone: undefined, letter: { number: '桂职办函〔2026〕3号' } }, ['letter.sentTo', 'letter.sentOn', 'letter.repliedOn', 'letter.evidence']],
      [{ method: 'other', phone: undefined }, ['other.description']],
    ];
    for (const [overrides, missing] of cases) {
      const res = await post(phoneBody(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(422);
      const problem = (await res.json()) as { field: string; missing?: string[]; message: { zh: string } };
      expect(missing).toContain(problem.field);
      for (const field of missing) expect(JSON.stringify(problem)).toContain(field);
    }
    const ok = await post(phoneBody({ method: 'information_system', phone: undefined, informationSystem: { name: '全国专业技术人员职称查询系统', url: 'https://zcx.example.gov.cn/query?id=HN2015-00123', evidence: screenshot() } }));
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    const evidence = await get(`/api/v1/verification-records/${id}/evidence`, auditor);
    expect(evidence.headers.get('content-type')).toBe('image/png');

    // Attachment 2 prints the screenshot itself, its hash under it (四(三)), not only the hash.
    const sheet = await get(`/api/v1/verification-records/${id}/pdf`, auditor);
    expect(sheet.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'ecert-evidence-'));
    writeFileSync(join(dir, 's.pdf'), new Uint8Array(await sheet.arrayBuffer()));
    const images = execFileSync('pdfimages', ['-list', join(dir, 's.pdf')], { encoding: 'utf8' }).split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(images.map((line) => line.trim().split(/\s+/).slice(3, 5))).toEqual([['120', '160']]);
    const text = execFileSync('pdftotext', [join(dir, 's.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('附：查询结果截图');
    expect(text).toMatch(/校验码（SHA-256）：[0-9a-f]{64}/);
  });

  it('keeps to roles: handlers write, auditors read, others and the public get nothing', async () => {
    const created = (await (await post(phoneBody())).json()) as { id: string };
    expect((await post(phoneBody(), auditor)).status).toBe(403);
    expect((await post(phoneBody(), issuer)).status).toBe(403);
    expect((await get(`/api/v1/verification-records/${created.id}`)).status).toBe(401);
    expect((await get(`/api/v1/verification-records/${created.id}`, issuer)).status).toBe(403);
    expect((await get(`/api/v1/verification-records/${created.id}`, otherHandler)).status).toBe(404);
    expect((await get(`/api/v1/verification-records/${created.id}`, auditor)).status).toBe(200);
    expect((await get('/api/v1/verification-records', otherHandler)).status).toBe(200);
    const others = (await (await get('/api/v1/verification-records', otherHandler)).json()) as { total: number };
    expect(others.total).toBe(0);
  });

  it('corrects by supersession, never by editing', async () => {
    const first = (await (await post(phoneBody({ result: 'unverifiable', record: '电话无人接听。' }))).json()) as { id: string };
    const noReason = await post(phoneBody({ supersedes: { id: first.id } }));
    expect(noReason.status).toBe(422);
    const second = await post(phoneBody({ supersedes: { id: first.id, reason: '次日再次致电，对方确认。' } }));
    expect(second.status).toBe(201);
    const secondId = ((await second.json()) as { id: string }).id;
    const again = await post(phoneBody({ supersedes: { id: first.id, reason: '重复更正' } }));
    expect(again.status).toBe(409);
    const old = (await (await get(`/api/v1/verification-records/${first.id}`, auditor)).json()) as { supersededBy: string };
    expect(old.supersededBy).toBe(secondId);
    // Another organisation's record is not theirs to correct: answered as if it did not exist.
    const foreign = await post(phoneBody({ supersedes: { id: secondId, reason: '越权更正' } }), otherHandler);
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as { field: string }).field).toBe('supersedes.id');
  });

  it('is idempotent under retries', async () => {
    const body = phoneBody({ record: '重试测试' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(body, handler, { 'Idempotency-Key': 'vr-retry-1' })));
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('lists with filters and exports CSV for Excel', async () => {
    await post(phoneBody({ subject: { holderName: '王芳', idNumber: '450103198501010026', titleName: '工程师', evaluatingBody: '湖南省中级评委会', acquiredOn: '2012-12-30' }, result: 'not_genuine', record: '对方称查无此人。' }));
    const filtered = (await (await get(`/api/v1/verification-records?holder=${encodeURIComponent('王芳')}&result=not_genuine`, auditor)).json()) as { total: number; items: { subject: { holderName: string } }[] };
    expect(filtered.total).toBe(1);
    expect(filtered.items[0]!.subject.holderName).toBe('王芳');
    const paged = (await (await get('/api/v1/verification-records?pageSize=2&page=1', auditor)).json()) as { items: unknown[]; total: number };
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(2);
    const csv = await get(`/api/v1/verification-records?format=csv&holder=${encodeURIComponent('王芳')}`, auditor);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('王芳');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect((await get('/api/v1/verification-records?result=maybe', auditor)).status).toBe(422);
  });
});

describe('the chain behind the log', () => {
  it('log check passes over everything recorded here, with signed heads', async () => {
    expect((await post(phoneBody({ record: '链校验前的最后一条记录' }))).status).toBe(201);
    const check = await server.cli(['log', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/OK/);
    expect(check.stdout).not.toMatch(/未签名|unsigned/i);
  });
});
