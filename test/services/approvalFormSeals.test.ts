/**
 * The approval form collects the seals (issue 16 item 3; notice 四(二) "出具审核意见，加盖单位公章", 四(四)): through
 * the API in-process, a case to its certificate with seals for the unit, the city office and the region office
 * (the competent department holds none). GET …/form.pdf carries the service's signature and one PAdES seal per
 * sealing organisation, each an incremental update, the authority's last and locking; poppler's pdfsig and our
 * CLI read them all valid. The finished form is kept: byte-identical later, even after a seal is replaced. An
 * opinion changed in the database afterwards: the statements name the step, the form's seals still hold.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealSigner } from '../../src/crypto/caseStatement.js';
import { caseThroughAuthority } from '../support/journey.js';
import { ROOT } from '../support/server.js';
import { setUpWorkflow, type Staff } from '../support/workflow.js';
import { on, openApi, tally, type InProcessApi } from '../http/api/support.js';
import { makeSeal, makeSealCa, rootIssuer, type Issuer } from '../crypto/sealFixtures.js';
import { cli } from '../cli/support.js';

const BASE = '/api/v1/reconfirmations';
const ROOT_PEM_PATH = join(ROOT, 'keys.example/root.pem');
const rootPem = readFileSync(ROOT_PEM_PATH, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ecert-form-seals-'));
const ORGS = [
  ['NNLQ01', '南宁路桥工程有限公司', '91450100MA5KXXXX0B'],
  ['NNZGB', '南宁市职称改革工作领导小组办公室', '11450100MB1957736X'],
  ['GXZGB', '广西壮族自治区职称改革工作领导小组办公室', '11450000MB1A12345Y'],
] as const;
let api: InProcessApi;
let staff: Staff;
let root: Issuer;
let ca: Issuer;
const seals = new Map<string, SealSigner>();

const sealOf = (code: string, name: string, uscc: string) => makeSeal(ca, root, { code, name, uscc, notBefore: new Date('2026-01-01T00:00:00Z') });

beforeAll(async () => {
  api = await openApi();
  staff = await setUpWorkflow(api);
  root = await rootIssuer({ certPem: rootPem, keyPem: readFileSync(join(ROOT, 'keys.example/root.key.pem'), 'utf8') });
  ca = await makeSealCa(root, { notBefore: new Date('2026-01-01T00:00:00Z') });
  for (const [code, name, uscc] of ORGS) seals.set(code, await sealOf(code, name, uscc));
  api.context.deps.sealFor = async (code) => seals.get(code);
}, 60_000);
afterAll(() => api?.stop());

/** A case taken to `until` (approve, issue, or the authority's rejection), every organisation's step taken. */
const caseTo = (serial: number, until: 'authority_review' | 'approve' | 'issue' | 'reject') => caseThroughAuthority(api, staff, serial, until);

function saved(bytes: Uint8Array, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const pdfsig = (path: string): string => execFileSync('pdfsig', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** pdfsig's report, one block per signature: its signer (the organisation, O=, or else the CN), validity and whether it covers the whole file. */
function signaturesOf(report: string): { signer: string; valid: boolean; total: boolean }[] {
  return report
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      signer: /Signer full Distinguished Name: .*?\bO=([^,]+)/.exec(block)?.[1] ?? /Signer Certificate Common Name: (.*)/.exec(block)?.[1] ?? '',
      valid: block.includes('Signature Validation: Signature is Valid.'),
      total: block.includes('Total document signed'),
    }));
}

describe('GET /api/v1/reconfirmations/{id}/form.pdf of an issued case', () => {
  let id = '';
  let form: Uint8Array;
  beforeAll(async () => {
    id = await caseTo(31, 'issue');
    const res = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    form = res.bytes;
  }, 120_000);

  it('carries the service signature and one seal per sealing organisation, each valid; the last covers the whole file', () => {
    const report = pdfsig(saved(form, 'form.pdf'));
    const signatures = signaturesOf(report);
    expect(signatures.map((s) => s.valid)).toEqual([true, true, true, true]);
    expect(signatures.map((s) => s.signer)).toEqual(['职称电子证书服务', ...ORGS.map(([, name]) => name)]);
    expect(signatures.map((s) => s.total)).toEqual([false, false, false, true]);
    expect(report).toContain('Signature Field Name: seal-authority-1');
  });

  it('is kept: byte-identical on a second GET and after the unit’s seal is replaced', async () => {
    const again = await api.call(staff.unitHr, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-22') });
    expect(Buffer.from(again.bytes).equals(Buffer.from(form))).toBe(true);
    const before = seals.get('NNLQ01')!;
    seals.set('NNLQ01', await sealOf('NNLQ01', '南宁路桥工程有限公司', '91450100MA5KXXXX0B'));
    try {
      const after = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-11-02') });
      expect(Buffer.from(after.bytes).equals(Buffer.from(form))).toBe(true);
    } finally {
      seals.set('NNLQ01', before);
    }
  });
});

describe('npm run cli -- verify form.pdf', () => {
  let id = '';
  let form: Uint8Array;
  beforeAll(async () => {
    id = await caseTo(34, 'issue');
    form = (await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') })).bytes;
  }, 120_000);

  it('lists each signature in order with organisation, USCC, step and time; the last covers the whole file and locks it', async () => {
    const { code, stdout } = await cli(['verify', saved(form, 'cli-form.pdf'), '--root', ROOT_PEM_PATH]);
    expect(code, stdout).toBe(0);
    const entries = stdout.split('\n').filter((line) => /^[✓✗] \d\. /.test(line));
    expect(entries).toEqual([
      '✓ 1. 职称电子证书服务（服务或机构签名 service or authority signature）',
      ...ORGS.map(([code, name, uscc], i) => `✓ ${i + 2}. ${name}（单位代码 code ${code}，统一社会信用代码 USCC ${uscc}）`),
    ]);
    expect(stdout).toContain('步骤 step: 签署单位意见；意见日期 opinion given: 2026年10月12日');
    expect(stdout).toContain('步骤 step: 报送；意见日期 opinion given: 2026年10月14日');
    expect(stdout).toContain('步骤 step: 批准；意见日期 opinion given: 2026年10月20日');
    expect(stdout).toContain('签署时间 signed: 2026-10-21 10:00:00');
    expect(stdout).toContain('✓ 最后一个签名覆盖整个文件');
    expect(stdout).toContain('✓ 最后一个签名锁定文件');
    expect(stdout).toContain('结论 / verdict: 全部签名有效 VALID');
  }, 60_000);

  it('names the signature whose revision had one byte changed, and every later one over it; the earlier stay valid', async () => {
    // One byte in the middle of what the unit's seal signed after its own /Contents: its second revision.
    const text = new TextDecoder('latin1').decode(form);
    const ranges = [...text.matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)/g)].map((m) => [Number(m[2]), Number(m[2]) + Number(m[3])] as const);
    const [contentsEnd, revisionEnd] = ranges.sort((a, b) => a[1] - b[1])[1]!;
    const at = Math.floor((contentsEnd + revisionEnd) / 2);
    expect(at).toBeGreaterThan(text.indexOf('%%EOF'));
    const changed = form.slice();
    changed[at] = changed[at]! ^ 0x01;
    const { code, stdout } = await cli(['verify', saved(changed, 'cli-changed.pdf'), '--root', ROOT_PEM_PATH]);
    expect(code, stdout).toBe(1);
    const marks = stdout.split('\n').filter((line) => /^[✓✗] \d\. /.test(line)).map((line) => line.slice(0, 4));
    expect(marks).toEqual(['✓ 1.', '✗ 2.', '✗ 3.', '✗ 4.']);
    expect(stdout).toContain('签名无效');
    expect(stdout).toContain('结论 / verdict: 无效 NOT VALID');
  }, 60_000);

  it('fails a form with bytes appended after the last signature', async () => {
    const appended = new Uint8Array([...form, ...new TextEncoder().encode('\n% appended\n')]);
    const { code, stdout } = await cli(['verify', saved(appended, 'cli-appended.pdf'), '--root', ROOT_PEM_PATH]);
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('✗ 最后一个签名之后文件又被追加或改动');
  }, 60_000);
});

describe('an opinion changed in the database after the case was finished', () => {
  it('the statements name the step; the kept form’s seals still hold; verify statements.json fails naming the step', async () => {
    const id = await caseTo(35, 'issue');
    const form = (await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') })).bytes;
    const intact = await api.call(staff.approver, 'GET', `${BASE}/${id}/statements`);
    const good = await cli(['verify', saved(new TextEncoder().encode(intact.text), 'statements-intact.json'), '--root', ROOT_PEM_PATH]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('· 第');
    expect(good.stdout).toMatch(/✓ 第 \d+ 步 签署单位意见 — 南宁路桥工程有限公司：印章有效 seal ok（南宁路桥工程有限公司，统一社会信用代码 USCC 91450100MA5KXXXX0B）/);
    expect(good.stdout).toMatch(/· 第 \d+ 步 报送 — 南宁市交通运输局：未盖章 unsealed/);

    const { db } = api.context;
    // Someone with the database file in hand lifts the append-only guard first.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'application_events_no_update'").get()) db.exec('DROP TRIGGER application_events_no_update');
    const endorse = db.prepare("SELECT seq FROM application_events WHERE application_id = ? AND action = 'endorse'").get(id) as { seq: number };
    db.prepare('UPDATE application_events SET opinion = ? WHERE application_id = ? AND seq = ?').run('不同意上报。', id, endorse.seq);

    const res = await api.call(staff.approver, 'GET', `${BASE}/${id}/statements`);
    expect(res.body.intact).toBe(false);
    expect(res.body.problems.map((p: any) => p.seq)).toEqual([endorse.seq]);
    const after = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-22') });
    expect(Buffer.from(after.bytes).equals(Buffer.from(form))).toBe(true);
    const formCheck = await cli(['verify', saved(after.bytes, 'form-after.pdf'), '--root', ROOT_PEM_PATH]);
    expect(formCheck.code, formCheck.stdout + formCheck.stderr).toBe(0);

    const bad = await cli(['verify', saved(new TextEncoder().encode(res.text), 'statements.json'), '--root', ROOT_PEM_PATH]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`第 ${endorse.seq} 步的办理记录（意见、经办人或时间）与南宁路桥工程有限公司签章的声明不符`);
    expect(bad.stdout).toContain('结论 / verdict: 无效 NOT VALID');
  }, 120_000);

  it('a statement’s opinion edited in the saved answer, or a JWS swapped, is found offline with its step', async () => {
    const id = await caseTo(36, 'issue');
    const answer = (await api.call(staff.approver, 'GET', `${BASE}/${id}/statements`)).body;
    const endorse = answer.statements.find((s: any) => s.step === 'endorse');
    endorse.opinion = '不同意上报。';
    const edited = await cli(['verify', saved(new TextEncoder().encode(JSON.stringify(answer)), 'statements-edited.json'), '--root', ROOT_PEM_PATH]);
    expect(edited.code, edited.stdout + edited.stderr).toBe(1);
    expect(edited.stdout).toContain(`✗ 第 ${endorse.seq} 步：答复中的步骤、单位、意见或时间与印章所签不符`);

    const fresh = (await api.call(staff.approver, 'GET', `${BASE}/${id}/statements`)).body;
    const sealed = fresh.statements.filter((s: any) => s.jws);
    [sealed[1].jws, sealed[2].jws] = [sealed[2].jws, sealed[1].jws];
    const swapped = await cli(['verify', saved(new TextEncoder().encode(JSON.stringify(fresh)), 'statements-swapped.json'), '--root', ROOT_PEM_PATH]);
    expect(swapped.code, swapped.stdout + swapped.stderr).toBe(1);
    expect(swapped.stdout).toContain(`第 ${sealed[1].seq} 步`);
  }, 120_000);
});

describe('a case the authority rejected', () => {
  it('its refusal stands in the 确认部门意见 box under its seal, last and locking; the form is kept', async () => {
    const id = await caseTo(37, 'reject');
    const res = await api.call(staff.unitHr, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const text = execFileSync('pdftotext', ['-layout', saved(res.bytes, 'rejected.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('经核查，原职称证书不实，不予确认。');
    const { code, stdout } = await cli(['verify', join(dir, 'rejected.pdf'), '--root', ROOT_PEM_PATH]);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('步骤 step: 不予确认；意见日期 opinion given: 2026年10月20日');
    expect(stdout).toContain('✓ 最后一个签名锁定文件');
    expect(api.context.db.prepare('SELECT COUNT(*) AS n FROM approval_forms WHERE application_id = ?').get(id)).toEqual({ n: 1 });
  }, 120_000);
});

describe('a form still in progress', () => {
  it('is made on each request; the authority’s seal, once it approved, is last', async () => {
    const id = await caseTo(32, 'approve');
    const first = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
    const second = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(Buffer.from(first.bytes).equals(Buffer.from(second.bytes))).toBe(false);
    expect(signaturesOf(pdfsig(saved(second.bytes, 'approved.pdf'))).map((s) => s.valid)).toEqual([true, true, true, true]);
    expect(api.context.db.prepare('SELECT COUNT(*) AS n FROM approval_forms WHERE application_id = ?').get(id)).toEqual({ n: 0 });
  }, 120_000);
});

describe('a form before the authority’s decision, and a seal over another organisation’s box', () => {
  it('verifies without a lock (noted, not failed); a seal of another organisation over the unit’s box fails', async () => {
    const id = await caseTo(38, 'authority_review');
    const open = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
    const { code, stdout } = await cli(['verify', saved(open.bytes, 'open.pdf'), '--root', ROOT_PEM_PATH]);
    expect(code, stdout).toBe(0);
    expect(stdout.split('\n').filter((line) => /^[✓✗] \d\. /.test(line))).toHaveLength(3); // the service, the unit, the city office
    expect(stdout).toContain('注意：最后一个签名未锁定文件');

    api.context.deps.sealFor = async (code) => seals.get(code === 'NNLQ01' ? 'NNZGB' : code);
    try {
      const wrong = await api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') });
      const checked = await cli(['verify', saved(wrong.bytes, 'wrong-seal.pdf'), '--root', ROOT_PEM_PATH]);
      expect(checked.code, checked.stdout + checked.stderr).toBe(1);
      expect(checked.stdout).toContain('✗ 2. 南宁市职称改革工作领导小组办公室');
      expect(checked.stdout).toContain('签名以南宁路桥工程有限公司名义作出，却由南宁市职称改革工作领导小组办公室的印章签署');
    } finally {
      api.context.deps.sealFor = async (code) => seals.get(code);
    }
  }, 120_000);
});

describe('30 first requests at once', () => {
  it('end with one kept form, the same bytes to every one, never a 500', async () => {
    const id = await caseTo(33, 'issue');
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.call(staff.approver, 'GET', `${BASE}/${id}/form.pdf`, { now: on('2026-10-21') })));
    expect(tally(answers)).toEqual({ 200: 30 });
    expect(new Set(answers.map((a) => Buffer.from(a.bytes).toString('base64'))).size).toBe(1);
    expect(api.context.db.prepare('SELECT COUNT(*) AS n FROM approval_forms WHERE application_id = ?').get(id)).toEqual({ n: 1 });
  }, 120_000);
});
