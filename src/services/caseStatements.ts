/**
 * @module services/caseStatements
 * Every opinion or decision an organisation gives on a case becomes its statement (domain/caseStatement.ts),
 * sealed with the organisation's electronic seal when it holds one (notice 四(二), 四(四)), written in the
 * batch of the step's history event. Reading them back checks each seal against the root, the chain of
 * digests, and the history: whoever changes an opinion afterwards is found out, with the step named.
 */
import { ACT_NAMES, caseFacts, certificateActStatementOf, certificateSubject, checkStatements, type CertificateAct, SEALED_STEPS, statementOf, statementText, type CaseStatementPayload, type KeptStatement, type StatementProblem } from '../domain/caseStatement.js';
import type { Application, ApplicationEvent } from '../domain/application.js';
import type { SealedBy } from '../domain/certificateBasis.js';
import type { Certificate } from '../domain/certificate.js';
import type { Message } from '../domain/errors.js';
import { ACTION_NAMES, type WorkflowAction } from '../domain/workflow.js';
import { signCaseStatement, verifyCaseStatement, type SealIdentity, type StatementVerification } from '../crypto/caseStatement.js';
import { signServiceTimestamp, verifyServiceTimestamp, type TimestampVerification } from '../crypto/serviceTimestamp.js';
import type { TrustStore } from '../crypto/trustStore.js';
import { sha256Hex } from '../lib/bytes.js';
import type { Statement } from '../storage/driver.js';
import type { Seal } from '../storage/seals.js';
import { formatChinaTime } from '../domain/chineseDate.js';
import type { Actor, ServiceContext } from './context.js';
import { visibleCase } from './applications/shared.js';
import { activeSeal } from './seals.js';

/**
 * The statement of an organisation's step, to write in the batch of its event; undefined for the applicant's
 * own steps. Sealed when the acting organisation holds an active seal, else kept unsealed (and shown so).
 */
export async function statementFor(ctx: ServiceContext, application: Application, event: ApplicationEvent): Promise<Statement | undefined> {
  if (!SEALED_STEPS.has(event.action)) return undefined;
  const [materials, prev, seal] = await Promise.all([
    ctx.applications.materials(application.id),
    ctx.statements.lastDigest(application.id),
    activeSeal(ctx, event.org.code),
  ]);
  const payload = statementOf(application, event, await sha256Hex(caseFacts(application, materials)), prev);
  return kept(ctx, payload, seal, event.at);
}

/** The insert of a statement: its digest, its seal's JWS (if any) and the service's timestamp on the digest. */
async function kept(ctx: ServiceContext, payload: CaseStatementPayload, seal: Awaited<ReturnType<typeof activeSeal>>, at: string, onlyIf?: Statement): Promise<Statement> {
  const text = statementText(payload);
  const digest = await sha256Hex(text);
  const service = await ctx.logSigner?.();
  const [jws, timestamp] = await Promise.all([seal ? signCaseStatement(payload, seal) : null, service ? signServiceTimestamp(digest, ctx.now().toISOString(), service) : null]);
  return ctx.statements.insertStatement(text, { payload, digest }, { jws, timestamp }, at, onlyIf);
}

/**
 * The confirming authority's approval of a case as its seal signed it — the newest `approve` statement whose
 * seal checks out against the root — for the certificate issued from the case to name; undefined when unsealed.
 */
export async function approvalSeal(ctx: ServiceContext, caseId: string): Promise<SealedBy | undefined> {
  const approvals = (await ctx.statements.forCase(caseId)).filter((s) => s.payload?.step === 'approve' && s.jws !== null);
  const newest = approvals.at(-1);
  if (!newest?.jws || !newest.payload) return undefined;
  const judged = await judgeSeal(await ctx.trust(), newest, newest.payload, (code) => ctx.seals.list(code));
  if (!judged.seal) return undefined;
  const { code, name, uscc } = judged.seal;
  return { code, name, ...(uscc ? { uscc } : {}), at: newest.payload.at };
}

/**
 * The issuing authority's revocation of a certificate as its statement (四(四)), sealed when it holds a seal, for
 * the batch of the revocation and written only if `onlyIf` (the revocation's own guard) still holds.
 */
export async function revocationStatement(
  ctx: ServiceContext,
  actor: Actor,
  certificate: { number: string; token: string },
  revocation: { at: string; reason: string; note: string; ban?: { startYear: number; endYear: number } | undefined },
  onlyIf: Statement,
): Promise<Statement> {
  const { at, reason, note, ban } = revocation;
  return actStatement(ctx, actor, certificate, { at, step: 'revoke', opinion: note, data: { reason, ...(ban ? { ban } : {}) } }, onlyIf);
}

/**
 * The issuing authority's cancellation (已注销) or correction (已变更, naming the new version) of a certificate as its
 * statement (四(四); issue 19 items 2–3), like a revocation's: sealed when it holds a seal, written in the act's own
 * batch and only if `onlyIf` (the act's guard) still holds. A version ends once: a second act's statement is refused
 * by the store's key, so racing acts land one.
 */
export async function actStatement(
  ctx: ServiceContext,
  actor: Actor,
  certificate: { number: string; token: string },
  act: { at: string; step: CertificateAct; opinion: string; data: Record<string, unknown> },
  onlyIf: Statement,
): Promise<Statement> {
  const [org, seal, facts] = await Promise.all([ctx.organisations.find(actor.orgCode), activeSeal(ctx, actor.orgCode), sha256Hex(certificate.token)]);
  const payload = certificateActStatementOf({
    number: certificate.number,
    ...act,
    person: { id: actor.personId, name: actor.personName },
    org: { code: actor.orgCode, name: org?.name ?? actor.orgCode },
    facts,
  });
  return kept(ctx, payload, seal, act.at, onlyIf);
}

/**
 * Who sealed a certificate's revocation, when its seal checks out against the root and its statement is the
 * one stored; undefined for an unsealed revocation or one revoked before statements existed.
 */
export async function revocationSeal(ctx: ServiceContext, number: string): Promise<SealedBy | undefined> {
  const [stored] = await ctx.statements.forCase(certificateSubject(number));
  if (!stored?.jws || stored.payload?.step !== 'revoke') return undefined;
  const judged = await judgeSeal(await ctx.trust(), stored, stored.payload, (code) => ctx.seals.list(code));
  if (!judged.seal) return undefined;
  const { code, name, uscc } = judged.seal;
  return { code, name, ...(uscc ? { uscc } : {}), at: stored.payload.at };
}

export interface StatementView {
  seq: number;
  step: string;
  stepName: Message;
  org: { code: string; name: string };
  person: { name: string };
  at: string;
  opinion: string | null;
  /** Whether the organisation's seal signed it. */
  sealed: boolean;
  /** Who sealed it, as the seal certificate says; only for a seal that checks out. */
  seal?: SealIdentity;
  /** The seal holds (true), fails (false), or there is none (null). */
  sealValid: boolean | null;
  /** Why the seal fails. */
  sealProblem?: Message;
  /** A certificate's statement only (certificateStatements): what the act recorded, and the digest of the ended version's token. */
  data?: Record<string, unknown>;
  facts?: string;
  /** When the service stamped it (its timestamp checked against the root), if it did. */
  stampedAt?: string;
  digest: string;
  jws: string | null;
}

export interface CaseStatements {
  caseId: string;
  statements: StatementView[];
  /** Where the chain or the history parts from what was sealed, by step; empty when all is intact. */
  problems: StatementProblem[];
  intact: boolean;
}

// A sealed statement never changes, so its check is remembered per trust store (a case page checks every one).
const checked = new WeakMap<TrustStore, Map<string, Promise<StatementVerification>>>();
const CHECKED_LIMIT = 10_000;

const stamps = new WeakMap<TrustStore, Map<string, Promise<TimestampVerification>>>();

function remembered<T>(cache: WeakMap<TrustStore, Map<string, Promise<T>>>, trust: TrustStore, jws: string, check: () => Promise<T>): Promise<T> {
  let known = cache.get(trust);
  if (!known) cache.set(trust, (known = new Map()));
  let result = known.get(jws);
  if (!result) {
    if (known.size >= CHECKED_LIMIT) known.clear();
    result = check();
    known.set(jws, result);
  }
  return result;
}

const checkSeal = (trust: TrustStore, jws: string) => remembered(checked, trust, jws, () => verifyCaseStatement(jws, { rootPem: trust.rootPem }));
const checkStamp = (trust: TrustStore, jws: string) => remembered(stamps, trust, jws, () => verifyServiceTimestamp(jws, { rootPem: trust.rootPem }));

/** When the seal with this certificate (base64 DER) was revoked in our store, if it was. */
function revocationOf(seals: readonly Seal[], certificate: string): string | undefined {
  return seals.find((s) => s.certificatePem.replace(/-----[^-]+-----|\s/g, '') === certificate)?.revokedAt ?? undefined;
}

/**
 * A stored statement's seal judged: the signature against the root, the stored payload against what was sealed,
 * the service's timestamp, and the seal's revocation. A revoked seal stops signing at once; what it sealed before
 * stays valid — "before" as the service's timestamp says (the statement's own time is the sealer's word), so a
 * statement of a revoked seal without a valid timestamp cannot be shown to precede the revocation.
 */
async function judgeSeal(
  trust: TrustStore,
  row: { jws: string | null; timestamp: string | null; digest: string },
  payload: CaseStatementPayload,
  sealsOf: (orgCode: string) => Promise<readonly Seal[]>,
): Promise<{ seal?: SealIdentity; problem?: Message; stampedAt?: string }> {
  const stamp = row.timestamp ? await checkStamp(trust, row.timestamp) : undefined;
  const stampedAt = stamp?.valid && stamp.digest === row.digest ? stamp.at : undefined;
  const at = stampedAt ? { stampedAt } : {};
  if (!row.jws) return at;
  const verdict = await checkSeal(trust, row.jws);
  if (!verdict.valid) return { ...at, problem: verdict.reason };
  if (statementText(verdict.payload) !== statementText(payload)) {
    return { ...at, problem: { zh: '存储的声明与印章所签内容不一致（声明在盖章后被改动）', en: 'the stored statement differs from what the seal signed (changed after sealing)' } };
  }
  const revokedAt = revocationOf(await sealsOf(payload.org.code), verdict.sealCertificate);
  if (revokedAt && (!stampedAt || Date.parse(stampedAt) > Date.parse(revokedAt))) {
    const when = { zh: formatChinaTime(new Date(revokedAt), 'zh'), en: formatChinaTime(new Date(revokedAt), 'en') };
    return {
      ...at,
      problem: stampedAt
        ? { zh: `该印章已于 ${when.zh} 注销，此后所盖无效`, en: `the seal was revoked at ${when.en}; nothing it sealed after that is valid` }
        : { zh: `该印章已于 ${when.zh} 注销，此声明没有有效的服务时间戳，不能证明盖章在注销之前`, en: `the seal was revoked at ${when.en} and this statement has no valid service timestamp to show it was sealed before` },
    };
  }
  return { ...at, seal: verdict.seal };
}

const stepName = (step: string): Message => ACTION_NAMES[step as WorkflowAction] ?? ACT_NAMES[step as CertificateAct] ?? { zh: step, en: step };

/**
 * A case's statements with every check: each seal against the root, the digests as a chain, and each
 * statement against the history event it speaks for.
 * @example const { intact, problems } = await caseStatements(ctx, actor, 'RC20261128-7KQ2M9XH');
 */
export async function caseStatements(ctx: ServiceContext, actor: Actor, id: string): Promise<CaseStatements> {
  await visibleCase(ctx, actor, id);
  const [stored, history, unstated] = await Promise.all([ctx.statements.forCase(id), ctx.applications.events(id), ctx.statements.unstated(id, [...SEALED_STEPS])]);
  return judgedStatements(ctx, id, stored, history, unstated);
}

/**
 * The statement that ended a certificate version — its revocation, cancellation or correction (四(四); issue 19
 * items 2–3) — checked like a case's: the seal against the root, the digest, the service's timestamp. Empty for a
 * version still in force (or ended before such statements were kept). The caller has checked the certificate is
 * the actor's authority's.
 * @example const { statements: [ended] } = await certificateStatements(ctx, '26K7Q2M9XHT');
 */
export async function certificateStatements(ctx: ServiceContext, certificate: Pick<Certificate, 'number' | 'token' | 'status' | 'supersession'>): Promise<CaseStatements> {
  const subject = certificateSubject(certificate.number);
  const rows = await ctx.statements.forCase(subject);
  const judged = await judgedStatements(ctx, subject, rows, null, []);
  // A sealed statement proves what it says, not that it is about this certificate: hold each against the version —
  // its subject, the digest of its token, the act its state records, and a correction's new version.
  const tokenDigest = await sha256Hex(certificate.token);
  const act: Partial<Record<Certificate['status'], CertificateAct>> = { revoked: 'revoke', cancelled: 'cancel', superseded: 'correct' };
  const problems: StatementProblem[] = [];
  for (const [i, row] of rows.entries()) {
    const p = row.payload;
    if (!p) continue; // already a problem of judgedStatements
    const at = { seq: row.seq };
    const wrong = (zh: string, en: string) => problems.push({ ...at, message: { zh: `第 ${row.seq} 条声明${zh}`, en: `statement ${row.seq} ${en}` } });
    if (i > 0) wrong('多余：一个证书版本只以一项决定终止', 'is one too many: a version ends by one act only');
    if (p.case !== certificateSubject(certificate.number)) wrong('说的是另一份证书', 'is about another certificate');
    if (p.facts !== tokenDigest) wrong('所指的不是本证书签名的内容', "names other signed facts than this certificate's");
    if (act[certificate.status] !== p.step) {
      wrong(`所载决定（${p.step}）与证书现状不符`, `records an act (${p.step}) that is not the certificate's state (${certificate.status})`);
    } else if (p.step === 'correct' && (p.data as { successor?: { number?: string } }).successor?.number !== certificate.supersession?.successor) {
      wrong('所载新版本与证书记录的新版本不符', 'names another new version than the certificate record does');
    }
  }
  const all = [...judged.problems, ...problems].sort((a, b) => a.seq - b.seq);
  // What the act recorded is said in the answer too, not only inside the JWS (an unsealed statement has none).
  const payloads = new Map(rows.map((r) => [r.seq, r.payload]));
  const statements = judged.statements.map((v) => {
    const p = payloads.get(v.seq);
    return p ? { ...v, data: p.data, facts: p.facts } : v;
  });
  return { ...judged, statements, problems: all, intact: all.length === 0 };
}

/** Every stored statement of a subject judged; `history` null where there is none to hold them against (a certificate). */
async function judgedStatements(
  ctx: ServiceContext,
  id: string,
  stored: Awaited<ReturnType<ServiceContext['statements']['forCase']>>,
  history: readonly ApplicationEvent[] | null,
  unstated: readonly number[],
): Promise<CaseStatements> {
  const trust = await ctx.trust();
  const problems: StatementProblem[] = unstated.map((seq) => ({ seq, message: { zh: `第 ${seq} 步的签章声明缺失（可能被删除）`, en: `step ${seq}: its statement is missing (it may have been deleted)` } }));
  let stamped = false; // once one statement of the case is stamped, every later one must be
  const sealLists = new Map<string, Promise<Seal[]>>();
  const sealsOf = (orgCode: string) => {
    if (!sealLists.has(orgCode)) sealLists.set(orgCode, ctx.seals.list(orgCode));
    return sealLists.get(orgCode)!;
  };
  const kept: KeptStatement[] = [];
  const views: StatementView[] = [];
  for (const row of stored) {
    const payload = row.payload;
    if (!payload) {
      problems.push({ seq: row.seq, message: { zh: `第 ${row.seq} 步的签章声明无法读取（被改写）`, en: `step ${row.seq}: the statement cannot be read (overwritten)` } });
      continue;
    }
    kept.push({ payload, digest: row.digest });
    const view: StatementView = {
      seq: row.seq,
      step: payload.step,
      stepName: stepName(payload.step),
      org: payload.org,
      person: { name: payload.person?.name ?? '' },
      at: payload.at,
      opinion: payload.opinion,
      sealed: row.jws !== null,
      sealValid: null,
      digest: row.digest,
      jws: row.jws,
    };
    const judged = await judgeSeal(trust, row, payload, sealsOf);
    if (judged.stampedAt) view.stampedAt = judged.stampedAt;
    // The service's timestamp covers the digest: one that fails, or is missing after stamped ones, means a rewrite.
    if (row.timestamp !== null && !judged.stampedAt) {
      problems.push({ seq: row.seq, message: { zh: `第 ${row.seq} 步的服务时间戳无效或与声明不符（声明可能被改写）`, en: `step ${row.seq}: the service timestamp is invalid or names another statement (it may have been rewritten)` } });
    } else if (row.timestamp === null && stamped) {
      problems.push({ seq: row.seq, message: { zh: `第 ${row.seq} 步缺少服务时间戳（声明可能被改写）`, en: `step ${row.seq}: the service timestamp is missing (the statement may have been rewritten)` } });
    }
    stamped ||= row.timestamp !== null;
    if (row.jws !== null) {
      view.sealValid = judged.seal !== undefined;
      if (judged.seal) view.seal = judged.seal;
      if (judged.problem) {
        view.sealProblem = judged.problem;
        problems.push({ seq: row.seq, message: { zh: `第 ${row.seq} 步：${judged.problem.zh}`, en: `step ${row.seq}: ${judged.problem.en}` } });
      }
    }
    views.push(view);
  }
  problems.push(...(await checkStatements(kept, history, async (text) => sha256Hex(text))));
  problems.sort((a, b) => a.seq - b.seq);
  return { caseId: id, statements: views, problems, intact: problems.length === 0 };
}
