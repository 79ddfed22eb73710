/**
 * Sealed statements (issue 16 item 2): an organisation's seal signs each opinion; anyone holding only the root
 * checks it, and the chain per case says where a statement or the history was changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { signCaseStatement, verifyCaseStatement, CASE_STATEMENT_TYPE } from '../../src/crypto/caseStatement.js';
import { checkStatements, statementText, type CaseStatementPayload, type KeptStatement } from '../../src/domain/caseStatement.js';
import type { ApplicationEvent } from '../../src/domain/application.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { makeSeal, makeSealCa, rootIssuer, LEVEL_POLICY_OIDS, type Issuer } from './sealFixtures.js';

let root: Issuer;
let rootPem: string;
let ca: Issuer;
const UNIT = { code: 'NNDW01', name: '南宁市第一中学' };

beforeAll(async () => {
  const made = await createRootCa({ commonName: '测试根证书 Test Root', validYears: 30 });
  rootPem = made.certPem;
  root = await rootIssuer(made);
  ca = await makeSealCa(root);
});

const payload = (over: Partial<CaseStatementPayload> = {}): CaseStatementPayload => ({
  v: 1,
  case: 'APP1',
  seq: 3,
  step: 'endorse',
  opinion: '同意推荐。𠮷',
  data: { authenticityPledge: true },
  person: { id: 'P1', name: '黄𬌗' },
  org: UNIT,
  at: new Date().toISOString(),
  facts: 'a'.repeat(64),
  prev: null,
  ...over,
});

describe('verifyCaseStatement', () => {
  it('accepts a statement sealed by the organisation it speaks for, and names the seal', async () => {
    const seal = await makeSeal(ca, root, { ...UNIT, uscc: '91350100M000100Y43' });
    const v = await verifyCaseStatement(await signCaseStatement(payload(), seal), { rootPem });
    expect(v.valid).toBe(true);
    if (v.valid) {
      expect(v.seal).toMatchObject({ code: 'NNDW01', name: '南宁市第一中学', uscc: '91350100M000100Y43' });
      expect(v.payload.opinion).toBe('同意推荐。𠮷');
    }
  });

  it('refuses a changed opinion, another organisation\'s seal, an authority key, a seal outside the seal CA, and a seal not yet valid', async () => {
    const seal = await makeSeal(ca, root, UNIT);
    const jws = await signCaseStatement(payload(), seal);
    const [h, , s] = jws.split('.');
    const changed = `${h}.${Buffer.from(statementText(payload({ opinion: '不同意。' }))).toString('base64url')}.${s}`;
    const reasons: string[] = [];
    const expectRefused = async (token: string) => {
      const v = await verifyCaseStatement(token, { rootPem });
      expect(v.valid).toBe(false);
      if (!v.valid) reasons.push(v.reason.zh);
    };
    await expectRefused(changed);
    const other = await makeSeal(ca, root, { code: 'NNRSJ', name: '南宁市人力资源和社会保障局' });
    await expectRefused(await signCaseStatement(payload(), other));
    await expectRefused(await signCaseStatement(payload(), await makeSeal(ca, root, { ...UNIT, policies: [LEVEL_POLICY_OIDS.intermediate] })));
    await expectRefused(await signCaseStatement(payload(), await makeSeal(root, root, UNIT))); // signed by the root itself
    await expectRefused(await signCaseStatement(payload(), await makeSeal(await makeSealCa(root, { pathLength: null }), root, UNIT)));
    const later = await makeSeal(ca, root, { ...UNIT, notBefore: new Date(Date.now() + 86_400_000) });
    await expectRefused(await signCaseStatement(payload(), later));
    const otherRoot = await rootIssuer(await createRootCa({ commonName: '另一个根 Other Root', validYears: 30 }));
    await expectRefused(await signCaseStatement(payload(), await makeSeal(await makeSealCa(otherRoot), otherRoot, UNIT)));
    expect(reasons).toEqual([
      expect.stringContaining('签署后被改动'),
      expect.stringContaining('却由南宁市人力资源和社会保障局的印章签署'),
      expect.stringContaining('不是单位电子印章证书'),
      expect.stringContaining('印章签发机构'),
      expect.stringContaining('印章签发机构'),
      expect.stringContaining('不在有效期内'),
      expect.stringContaining('受信任的根证书'),
    ]);
  });

  it('refuses hostile input without throwing: garbage, wrong typ, none alg, missing chain, huge and odd payloads', async () => {
    const seal = await makeSeal(ca, root, UNIT);
    const wrongTyp = await new CompactSign(new TextEncoder().encode(statementText(payload())))
      .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', x5c: [...seal.x5c] })
      .sign(seal.privateKey);
    const noChain = await new CompactSign(new TextEncoder().encode(statementText(payload())))
      .setProtectedHeader({ alg: 'ES256', typ: CASE_STATEMENT_TYPE })
      .sign(seal.privateKey);
    const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    for (const bad of ['', 'a.b.c', 'x'.repeat(100_000), wrongTyp, noChain, `${b64({ alg: 'none', typ: CASE_STATEMENT_TYPE })}.${b64(payload())}.`, `${b64({ alg: 'ES256', typ: CASE_STATEMENT_TYPE, x5c: ['AA', 'AA'] })}.${b64(payload())}.${'A'.repeat(86)}`, `${wrongTyp.split('.')[0]}.${b64({ ...payload(), seq: '3' })}.${wrongTyp.split('.')[2]}`]) {
      const v = await verifyCaseStatement(bad, { rootPem });
      expect(v.valid, bad.slice(0, 40)).toBe(false);
    }
  });
});

describe('checkStatements', () => {
  const event = (seq: number, over: Partial<ApplicationEvent> = {}): ApplicationEvent => ({
    seq, action: 'endorse', fromStatus: 'notice_done' as never, toStatus: 'unit_endorsed' as never, person: { id: 'P1', name: '黄𬌗' }, org: UNIT, role: 'unit_admin', at: `2026-12-0${seq}T02:00:00.000Z`, opinion: `意见${seq}`, data: { n: seq }, ...over,
  });
  async function chainOf(events: ApplicationEvent[]): Promise<KeptStatement[]> {
    const kept: KeptStatement[] = [];
    for (const e of events) {
      const p = payload({ seq: e.seq, step: e.action, opinion: e.opinion, data: e.data, at: e.at, prev: kept.at(-1)?.digest ?? null });
      kept.push({ payload: p, digest: await sha256Hex(statementText(p)) });
    }
    return kept;
  }

  it('finds nothing wrong in an intact chain, and nothing before the first statement', async () => {
    const history = [1, 2, 3, 4].map((n) => event(n));
    expect(await checkStatements(await chainOf(history.slice(1)), history, sha256Hex)).toEqual([]);
  });

  it('says which step: an opinion changed in the history, a statement altered, one removed, one missing', async () => {
    const history = [1, 2, 3, 4].map((n) => event(n));
    const chain = await chainOf(history);
    const edited = history.map((e) => (e.seq === 2 ? { ...e, opinion: '改过的意见' } : e));
    expect((await checkStatements(chain, edited, sha256Hex)).map((p) => [p.seq, p.message.zh])).toEqual([[2, expect.stringContaining('第 2 步的办理记录')]]);
    const altered = chain.map((s) => (s.payload.seq === 3 ? { ...s, payload: { ...s.payload, opinion: '改' } } : s));
    expect((await checkStatements(altered, history, sha256Hex)).map((p) => p.seq)).toEqual([3, 3]);
    const removed = chain.filter((s) => s.payload.seq !== 2);
    expect((await checkStatements(removed, history, sha256Hex)).map((p) => p.seq)).toEqual([2, 3]);
    expect((await checkStatements(chain, history.slice(0, 3), sha256Hex)).map((p) => p.seq)).toEqual([4]);
  });
});
