/**
 * @module cli/verifyStatements
 * `verify statements.json`: the answer of GET /api/v1/reconfirmations/{id}/statements checked offline (issue 16
 * item 2; notice 四(二), 四(四)) — each JWS against the root (its seal chain and signature), the chain of digests
 * over the payloads inside the JWSs (domain checkStatements; not over the answer's own fields, which anyone can
 * edit), and the answer's fields against what was sealed. What the service found checking the statements
 * against the case history (which no offline check can see) is shown too, and fails the check as well.
 */
import { ACT_NAMES, checkStatements, type CertificateAct, type CaseStatementPayload, type KeptStatement, type StatementProblem } from '../domain/caseStatement.js';
import type { Message } from '../domain/errors.js';
import { ACTION_NAMES, type WorkflowAction } from '../domain/workflow.js';
import { verifyCaseStatement } from '../crypto/caseStatement.js';
import { sha256Hex } from '../lib/bytes.js';
import { shown } from './verifyForm.js';

type Print = (line: string) => void;

interface AnsweredStatement {
  seq?: unknown;
  step?: unknown;
  org?: { code?: unknown; name?: unknown };
  opinion?: unknown;
  at?: unknown;
  digest?: unknown;
  jws?: unknown;
}

/** Whether a parsed JSON value is a statements answer (has a `statements` array). */
export function isStatementsAnswer(value: unknown): value is { caseId?: unknown; statements: unknown[]; problems?: unknown } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { statements?: unknown }).statements);
}

const stepName = (step: unknown): string => (typeof step === 'string' ? (ACTION_NAMES[step as WorkflowAction]?.zh ?? ACT_NAMES[step as CertificateAct]?.zh ?? shown(step)) : '?');

/** The answer's fields that must be what the seal signed. */
function sameClaims(s: AnsweredStatement, payload: CaseStatementPayload, caseId: unknown): boolean {
  return s.seq === payload.seq && s.step === payload.step && s.org?.code === payload.org.code && s.opinion === payload.opinion && s.at === payload.at && (caseId === undefined || caseId === payload.case);
}

/** @example process.exitCode = await verifyStatements(JSON.parse(text), rootPem, console.log); */
export async function verifyStatements(answer: { caseId?: unknown; statements: unknown[]; problems?: unknown }, rootPem: string, print: Print): Promise<number> {
  const statements = answer.statements as AnsweredStatement[];
  const problems: StatementProblem[] = [];
  const failed = (seq: number, message: Message) => problems.push({ seq, message });
  print(`案件 case: ${typeof answer.caseId === 'string' ? shown(answer.caseId) : '—'}，签章声明 ${statements.length} 条 / ${statements.length} statements`);
  // The chain over what the seals signed: runs of sealed statements, each starting from the digest of the
  // statement before it (an unsealed one's digest is the answer's word, which no seal backs).
  let run: KeptStatement[] = [];
  let before: string | null = null;
  const closeRun = async () => {
    if (run.length > 0) problems.push(...(await checkStatements(run, null, async (text) => sha256Hex(text), before)));
    run = [];
  };
  let sealed = 0;
  for (const [i, s] of statements.entries()) {
    const seq = typeof s?.seq === 'number' ? s.seq : i + 1;
    const digest = typeof s?.digest === 'string' ? s.digest : '';
    if (typeof s !== 'object' || s === null || typeof s.seq !== 'number' || typeof s.step !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) {
      print(`✗ 第 ${i + 1} 条：不是签章声明（缺少步骤序号、步骤或摘要）/ entry ${i + 1} is not a statement (no seq, step or digest)`);
      failed(seq, { zh: `第 ${i + 1} 条答复格式错误`, en: `entry ${i + 1} is malformed` });
      await closeRun();
      before = null;
      continue;
    }
    const orgName = typeof s?.org?.name === 'string' ? shown(s.org.name) : '?';
    const where = `第 ${seq} 步 ${stepName(s?.step)} — ${orgName}`;
    if (s?.jws === null || s?.jws === undefined) {
      print(`· ${where}：未盖章 unsealed（该单位当时没有电子印章 / the organisation held no seal）`);
      await closeRun();
      before = digest;
      continue;
    }
    sealed++;
    const checked = await verifyCaseStatement(String(s.jws), { rootPem });
    if (checked.payload) run.push({ payload: checked.payload, digest });
    else {
      await closeRun();
      before = digest;
    }
    if (!checked.valid) {
      print(`✗ ${where}：印章无效 seal failed — ${checked.reason.zh} / ${checked.reason.en}`);
      failed(seq, { zh: `第 ${seq} 步：${checked.reason.zh}`, en: `step ${seq}: ${checked.reason.en}` });
      continue;
    }
    const { seal, payload } = checked;
    print(`✓ ${where}：印章有效 seal ok（${shown(seal.name)}，统一社会信用代码 USCC ${shown(seal.uscc ?? '—')}）`);
    if (!sameClaims(s, payload, answer.caseId)) {
      failed(seq, { zh: `第 ${seq} 步：答复中的步骤、单位、意见或时间与印章所签不符`, en: `step ${seq}: the answer's step, organisation, opinion or time differ from what was sealed` });
    }
  }
  await closeRun();
  problems.sort((a, b) => a.seq - b.seq);
  for (const p of problems) print(`✗ ${p.message.zh} / ${p.message.en}`);
  // The service compared the statements with the case history, which is not in the file: what it found stands.
  const reported = Array.isArray(answer.problems) ? (answer.problems as { seq?: unknown; message?: { zh?: unknown; en?: unknown } }[]) : [];
  for (const p of reported) {
    print(`✗ 服务核对办理记录发现 / the service found, checking the history: ${shown(String(p?.message?.zh ?? ''))} / ${shown(String(p?.message?.en ?? ''))}`);
  }
  // Unsealed statements are the service's word alone: with no seal at all, nothing here is proven.
  if (sealed === 0) print('✗ 没有一条声明盖有电子印章，无从核验 / no statement is sealed: there is nothing to verify');
  const valid = problems.length === 0 && reported.length === 0 && sealed > 0;
  // What a saved answer cannot show: statements cut off at its end, or the service's problems removed from it.
  print(
    valid
      ? '结论 / verdict: 各签章有效、彼此衔接 VALID —— 文件末尾是否被截去、服务所列问题是否被删，离线无法判断，完整性以服务在线核对为准 / whether the end was cut off or the service’s problems removed cannot be seen offline: ask the service for completeness'
      : '结论 / verdict: 无效 NOT VALID',
  );
  return valid ? 0 : 1;
}
