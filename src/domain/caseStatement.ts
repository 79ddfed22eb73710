/**
 * @module domain/caseStatement
 * 谁确认、谁签字、谁负责 (notice 四(四)); every level "出具审核意见，加盖单位公章" (四(二)). Each step that gives an
 * opinion or a decision on a case becomes a statement of the organisation that gave it: the case, the step,
 * the opinion and what was recorded with it, the person, the time, a digest of the case facts the
 * organisation acted on, and the digest of the statement before it — a chain per case, so a statement
 * dropped, reordered or altered later breaks it. The organisation's electronic seal signs the statement
 * (crypto/caseStatement.ts); these are the plain rules: what a statement says, its digest, the chain.
 */
import type { Application, ApplicationEvent, Material } from './application.js';
import type { Message } from './errors.js';
import { canonicalJson } from './recordChain.js';

/** What one statement says; `canonicalJson` of it is what the seal signs and what its digest covers. */
export interface CaseStatementPayload {
  /** Format version. */
  v: 1;
  /** The case (application id). */
  case: string;
  /** The step's place in the case's history (the history event's seq). */
  seq: number;
  /** The workflow action (receive, endorse, forward, approve, …). */
  step: string;
  opinion: string | null;
  /** What the step recorded beside its opinion (checks, notice dates, decision number …). */
  data: Record<string, unknown>;
  person: { id: string; name: string };
  org: { code: string; name: string };
  /** When the step was taken (ISO instant). */
  at: string;
  /** SHA-256 (hex) of {@link caseFacts} as the organisation acted on them. */
  facts: string;
  /** The digest of the case's statement before this one; null for its first. */
  prev: string | null;
}

/**
 * The steps that give an organisation's opinion or decision (四(二)): everything a unit, department or title
 * office does to a case. The applicant's own steps (create, edit, submit, withdraw, upload) are not opinions.
 */
export const SEALED_STEPS: ReadonlySet<string> = new Set(['receive', 'start_notice', 'lodge_objection', 'resolve_objection', 'endorse', 'forward', 'approve', 'issue', 'return', 'reject']);

/** SHA-256 hex of a text; injected so the rules stay free of any runtime's crypto. */
export type Sha256Hex = (text: string) => Promise<string>;

/**
 * The facts of a case an opinion rests on: who applies, for what, on which grounds and materials — not its
 * place in the workflow, which every step changes.
 */
export function caseFacts(application: Application, materials: readonly Pick<Material, 'item' | 'sha256'>[]): string {
  const { id, applicantId, unitCode, authorityCode, idNumber, holderName, level, form, eligibility, employerChoice, notice, decision, certificateNumber } = application;
  return canonicalJson({
    id, applicantId, unitCode, authorityCode, idNumber, holderName, level, form, eligibility, employerChoice, notice, decision, certificateNumber,
    materials: materials.map((m) => ({ item: m.item, sha256: m.sha256 })).sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0)),
  });
}

/** The statement of one history event. */
export function statementOf(application: Application, event: ApplicationEvent, facts: string, prev: string | null): CaseStatementPayload {
  return {
    v: 1,
    case: application.id,
    seq: event.seq,
    step: event.action,
    opinion: event.opinion,
    data: event.data,
    person: { id: event.person.id, name: event.person.name },
    org: { code: event.org.code, name: event.org.name },
    at: event.at,
    facts,
    prev,
  };
}

/**
 * The acts that end a certificate version, each the issuing authority's own statement (四(四) 谁确认、谁负责): its
 * revocation (四(一), with the five-year ban when for false materials), its cancellation (已注销, issue 19 item 3) and
 * its correction by a new version (已变更, issue 19 item 2). A version ends once, so it has at most one such statement,
 * kept under the subject `certificate:<number>` as its first and only step (the store's key refuses a second:
 * two racing acts land one). `facts` is the SHA-256 of the version's signed token: what exactly was ended.
 */
export type CertificateAct = 'revoke' | 'cancel' | 'correct';

/** The acts that end a certificate version, named for a clerk. */
export const ACT_NAMES: Record<CertificateAct, Message> = {
  revoke: { zh: '撤销证书', en: 'Certificate revoked' },
  cancel: { zh: '注销证书', en: 'Certificate cancelled' },
  correct: { zh: '更正证书（签发新版本）', en: 'Certificate corrected (new version issued)' },
};

/** @example certificateActStatementOf({ number, step: 'cancel', opinion: '持证人去世', data: { reason: 'death' }, person, org, at, facts }) */
export function certificateActStatementOf(input: {
  number: string;
  step: CertificateAct;
  opinion: string;
  data: Record<string, unknown>;
  person: { id: string; name: string };
  org: { code: string; name: string };
  at: string;
  facts: string;
}): CaseStatementPayload {
  const { number, step, opinion, data, person, org, at, facts } = input;
  return { v: 1, case: certificateSubject(number), seq: 1, step, opinion, data, person, org, at, facts, prev: null };
}

/** Where a certificate's own statements are kept, beside the cases' ids. */
export const certificateSubject = (number: string): string => `certificate:${number}`;

/** A statement as read back (a JWS payload, a stored row): undefined unless it has every field of its kind. */
export function statementPayloadOf(value: unknown): CaseStatementPayload | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Partial<CaseStatementPayload>;
  const text = (x: unknown) => typeof x === 'string';
  if (p.v !== 1 || !text(p.case) || !Number.isSafeInteger(p.seq) || !text(p.step) || !(p.opinion === null || text(p.opinion))) return undefined;
  if (!p.data || typeof p.data !== 'object' || !p.person || !text(p.person.id) || !text(p.person.name) || !p.org || !text(p.org.code) || !text(p.org.name)) return undefined;
  if (!text(p.at) || Number.isNaN(Date.parse(p.at as string)) || !text(p.facts) || !(p.prev === null || text(p.prev))) return undefined;
  return p as CaseStatementPayload;
}

/** The bytes a seal signs and a digest covers. */
export const statementText = (payload: CaseStatementPayload): string => canonicalJson(payload);

/** A statement as kept: its payload, its digest, and whether a seal signed it. */
export interface KeptStatement {
  payload: CaseStatementPayload;
  digest: string;
}

/** One place where a case's statements and history disagree, said for a person. */
export interface StatementProblem {
  seq: number;
  message: Message;
}

/**
 * Checks a case's statements (in seq order) as a chain and against its history: each digest is its payload's,
 * each names the one before it, none is missing, and each says what the history says of that step. A
 * history event without a statement is a problem only from the first statement on (cases older than sealed
 * statements have none before it). `history` null: it is not at hand (a check offline, from the JSON answer), so
 * only the digests and the chain are checked. `before`: the digest the first statement must name, when the list
 * starts after a statement whose payload is not at hand (an unsealed one, offline).
 */
export async function checkStatements(
  statements: readonly KeptStatement[],
  history: readonly ApplicationEvent[] | null,
  sha256: Sha256Hex,
  before: string | null = null,
): Promise<StatementProblem[]> {
  const problems: StatementProblem[] = [];
  const bySeq = new Map(statements.map((s) => [s.payload.seq, s]));
  let prev: Pick<KeptStatement, 'digest'> | undefined = before === null ? undefined : { digest: before };
  for (const s of statements) {
    const where = `第 ${s.payload.seq} 步`;
    const whereEn = `step ${s.payload.seq}`;
    if ((await sha256(statementText(s.payload))) !== s.digest) {
      problems.push({ seq: s.payload.seq, message: { zh: `${where}的签章声明内容被改动（摘要不符）`, en: `${whereEn}: the statement was altered (digest mismatch)` } });
    }
    if (s.payload.prev !== (prev?.digest ?? null)) {
      problems.push({ seq: s.payload.seq, message: { zh: `${where}之前的签章声明被删除、改动或调换`, en: `${whereEn}: a statement before it was removed, altered or reordered` } });
    }
    prev = s;
  }
  if (history === null) return problems;
  const first = statements[0]?.payload.seq;
  for (const event of history.filter((e) => SEALED_STEPS.has(e.action))) {
    const s = bySeq.get(event.seq);
    if (!s) {
      if (first !== undefined && event.seq > first) {
        problems.push({ seq: event.seq, message: { zh: `第 ${event.seq} 步没有签章声明`, en: `step ${event.seq} has no statement` } });
      }
      continue;
    }
    const said = s.payload;
    const same =
      said.step === event.action &&
      said.opinion === event.opinion &&
      said.at === event.at &&
      said.person.id === event.person.id &&
      said.org.code === event.org.code &&
      canonicalJson(said.data) === canonicalJson(event.data);
    if (!same) {
      problems.push({
        seq: event.seq,
        message: { zh: `第 ${event.seq} 步的办理记录（意见、经办人或时间）与${said.org.name}签章的声明不符`, en: `step ${event.seq}: the history (opinion, person or time) differs from what ${said.org.name} sealed` },
      });
    }
  }
  for (const s of statements) {
    if (!history.some((e) => e.seq === s.payload.seq)) {
      problems.push({ seq: s.payload.seq, message: { zh: `第 ${s.payload.seq} 步的办理记录缺失`, en: `step ${s.payload.seq} is missing from the history` } });
    }
  }
  return problems.sort((a, b) => a.seq - b.seq);
}
