/**
 * `verify statements.json` on answers no service gave (issue 16 item 2): a statement sealed with a seal under the
 * root passes; a malformed entry, an answer with no sealed statement, a statement sealed under another root, or a
 * statement dropped from the chain fail with exit 1, the step named. (The service's own answers: see
 * test/services/approvalFormSeals.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStatements } from '../../src/cli/verifyStatements.js';
import { signCaseStatement, type SealSigner } from '../../src/crypto/caseStatement.js';
import { statementText, type CaseStatementPayload } from '../../src/domain/caseStatement.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { makeChain } from '../crypto/fixtures.js';
import { makeSeal, makeSealCa, rootIssuer } from '../crypto/sealFixtures.js';

const KEYS = join(import.meta.dirname, '../../keys.example');
const rootPem = readFileSync(join(KEYS, 'root.pem'), 'utf8');
let seal: SealSigner;
let foreign: SealSigner;

beforeAll(async () => {
  const root = await rootIssuer({ certPem: rootPem, keyPem: readFileSync(join(KEYS, 'root.key.pem'), 'utf8') });
  seal = await makeSeal(await makeSealCa(root), root, { code: 'NNLQ01', name: '南宁路桥工程有限公司', uscc: '91450100MA5KXXXX0B' });
  const other = await rootIssuer((await makeChain()).root);
  foreign = await makeSeal(await makeSealCa(other), other, { code: 'NNLQ01', name: '南宁路桥工程有限公司' });
});

const payload = (seq: number, prev: string | null, step = 'endorse'): CaseStatementPayload => ({
  v: 1, case: 'RC1', seq, step, opinion: '同意上报。', data: {}, person: { id: 'P1', name: '周敏' }, org: { code: 'NNLQ01', name: '南宁路桥工程有限公司' }, at: new Date().toISOString(), facts: 'f'.repeat(64), prev,
});

/** The answer's entry for a payload, sealed by `by` (or unsealed). */
async function entry(p: CaseStatementPayload, by: SealSigner | null) {
  return { seq: p.seq, step: p.step, org: p.org, person: { name: p.person.name }, at: p.at, opinion: p.opinion, digest: await sha256Hex(statementText(p)), jws: by ? await signCaseStatement(p, by) : null };
}

async function run(answer: unknown): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await verifyStatements(answer as { statements: unknown[] }, rootPem, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

describe('verifyStatements', () => {
  it('passes a chain of sealed statements with an unsealed one between them', async () => {
    const one = payload(3, null);
    const two = payload(4, await sha256Hex(statementText(one)), 'forward');
    const three = payload(5, await sha256Hex(statementText(two)), 'forward');
    const { code, out } = await run({ caseId: 'RC1', statements: [await entry(one, seal), await entry(two, null), await entry(three, seal)], problems: [], intact: true });
    expect(code, out).toBe(0);
    expect(out).toContain('· 第 4 步 报送 — 南宁路桥工程有限公司：未盖章 unsealed');
  });

  it('fails a statement dropped from the chain, naming the step after the gap', async () => {
    const one = payload(3, null);
    const two = payload(4, await sha256Hex(statementText(one)));
    const three = payload(5, await sha256Hex(statementText(two)));
    const { code, out } = await run({ caseId: 'RC1', statements: [await entry(one, seal), await entry(three, seal)] });
    expect(code).toBe(1);
    expect(out).toContain('第 5 步之前的签章声明被删除、改动或调换');
  });

  it('fails a seal under another root, a malformed entry, and an answer with no seal at all', async () => {
    const one = payload(3, null);
    const foreignRoot = await run({ caseId: 'RC1', statements: [await entry(one, foreign)] });
    expect(foreignRoot.code).toBe(1);
    expect(foreignRoot.out).toContain('✗ 第 3 步 签署单位意见 — 南宁路桥工程有限公司：印章无效 seal failed');
    const malformed = await run({ statements: [await entry(one, seal), 'x\u001b[31m', { seq: 9 }] });
    expect(malformed.code).toBe(1);
    expect(malformed.out).toContain('✗ 第 2 条：不是签章声明');
    expect(malformed.out).not.toContain('\u001b');
    const unsealed = await run({ statements: [await entry(one, null)] });
    expect(unsealed.code).toBe(1);
    expect(unsealed.out).toContain('没有一条声明盖有电子印章');
    expect((await run({ statements: [] })).code).toBe(1);
  });
});
