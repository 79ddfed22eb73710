/**
 * @module storage/applications
 * Reconfirmation applications, their history, materials and public-notice objections. A transition is
 * one batch: the event with seq = version + 1 first (its primary key makes a racing transition fail as a
 * whole), then the application's new state, then whatever the step writes beside it (audit, a ban …).
 * The history of all cases is one hash chain (`log_seq`, storage/chainLogs.ts): each event is linked and
 * hashed when its batch is written (storage/chainWriter.ts).
 */
import type { Application, ApplicationEvent, ApplicationForm, Material, Objection } from '../domain/application.js';
import type { EligibilityAssessment, EmployerChoice } from '../domain/eligibility.js';
import type { Level } from '../domain/levels.js';
import type { CaseSort, CaseText, SortOrder } from '../domain/caseSearch.js';
import { APPLICATION_STATUSES, type ApplicationStatus, type ReturnTarget } from '../domain/workflow.js';
import { inJson, sql, type SqlDriver, type SqlValue, type Statement } from './driver.js';

interface ApplicationRow {
  id: string;
  applicant_id: string;
  unit_code: string;
  holder_code: string;
  authority_code: string;
  status: string;
  version: number;
  id_number: string;
  holder_name: string;
  level: string;
  form: string;
  eligibility: string;
  employer_choice: string | null;
  notice_start: string | null;
  notice_end: string | null;
  notice_provisional: number | null;
  notice_data_version: string | null;
  returned_to: string | null;
  return_reason: string | null;
  decision_number: string | null;
  decided_on: string | null;
  certificate_number: string | null;
  created_at: string;
  updated_at: string;
}

function toApplication(r: ApplicationRow): Application {
  return {
    id: r.id,
    applicantId: r.applicant_id,
    unitCode: r.unit_code,
    holderCode: r.holder_code,
    authorityCode: r.authority_code,
    status: r.status as ApplicationStatus,
    version: r.version,
    idNumber: r.id_number,
    holderName: r.holder_name,
    level: r.level as Level,
    form: JSON.parse(r.form) as ApplicationForm,
    eligibility: JSON.parse(r.eligibility) as EligibilityAssessment,
    employerChoice: r.employer_choice as EmployerChoice | null,
    notice:
      r.notice_start && r.notice_end
        ? { start: r.notice_start, end: r.notice_end, provisional: r.notice_provisional === 1, dataVersion: r.notice_data_version ?? '' }
        : null,
    returned: r.returned_to ? { to: r.returned_to as ReturnTarget, reason: r.return_reason ?? '' } : null,
    decision: r.decision_number && r.decided_on ? { number: r.decision_number, decidedOn: r.decided_on } : null,
    certificateNumber: r.certificate_number,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a transition may change, by their application field. */
export interface ApplicationChange {
  status: ApplicationStatus;
  holderCode?: string;
  form?: ApplicationForm;
  eligibility?: EligibilityAssessment;
  employerChoice?: EmployerChoice | null;
  notice?: Application['notice'];
  returned?: Application['returned'];
  decision?: Application['decision'];
  certificateNumber?: string | null;
  holderName?: string;
  idNumber?: string;
  level?: Level;
}

function changeColumns(change: ApplicationChange): [string, SqlValue][] {
  const columns: [string, SqlValue][] = [['status', change.status]];
  if (change.holderCode !== undefined) columns.push(['holder_code', change.holderCode]);
  if (change.form !== undefined) columns.push(['form', JSON.stringify(change.form)]);
  if (change.eligibility !== undefined) columns.push(['eligibility', JSON.stringify(change.eligibility)]);
  if (change.employerChoice !== undefined) columns.push(['employer_choice', change.employerChoice]);
  if (change.holderName !== undefined) columns.push(['holder_name', change.holderName]);
  if (change.idNumber !== undefined) columns.push(['id_number', change.idNumber]);
  if (change.level !== undefined) columns.push(['level', change.level]);
  if (change.notice !== undefined) {
    const n = change.notice;
    columns.push(['notice_start', n?.start ?? null], ['notice_end', n?.end ?? null], ['notice_provisional', n ? (n.provisional ? 1 : 0) : null], ['notice_data_version', n?.dataVersion ?? null]);
  }
  if (change.returned !== undefined) columns.push(['returned_to', change.returned?.to ?? null], ['return_reason', change.returned?.reason ?? null]);
  if (change.decision !== undefined) columns.push(['decision_number', change.decision?.number ?? null], ['decided_on', change.decision?.decidedOn ?? null]);
  if (change.certificateNumber !== undefined) columns.push(['certificate_number', change.certificateNumber]);
  return columns;
}

function eventStatement(applicationId: string, event: ApplicationEvent, idempotencyKey: string | null): Statement {
  const values = [
    applicationId, event.seq, event.action, event.fromStatus, event.toStatus, event.person.id, event.person.name, event.org.code, event.org.name,
    event.role, event.at, event.opinion, JSON.stringify(event.data), idempotencyKey,
  ];
  return {
    sql: '',
    params: [],
    chained: {
      log: 'history',
      at: event.at,
      // In storage/chainLogs.ts order: log_seq, prev_hash, then the event's own columns.
      canonical: (logSeq, prevHash) => [logSeq, prevHash, ...values],
      insert: (logSeq, prevHash, hash) =>
        sql(
          `INSERT INTO application_events (log_seq, prev_hash, application_id, seq, action, from_status, to_status, person_id, person_name, org_code, org_name, role, at, opinion, data, idempotency_key, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          logSeq, prevHash, ...values, hash,
        ),
    },
  };
}

/** A 核实 record as a case shows it. */
export interface LinkedVerificationRecord {
  id: string;
  orgCode: string;
  method: string;
  result: string;
  checkedAt: string;
  handlerName: string;
  supersededBy: string | null;
  /** The title the record checked (attachment 2): compared with the case's under 四(三). */
  titleName: string;
  evaluatingBody: string;
  acquiredOn: string;
}

export interface ApplicationFilters {
  /** Cases this organisation must act on now. */
  holderCode?: string | undefined;
  /** Cases of this unit's staff. */
  unitCode?: string | undefined;
  /** Cases whose route passes through any of these organisations (reviewers and auditors above the unit). */
  routeCodes?: readonly string[] | undefined;
  applicantId?: string | undefined;
  status?: ApplicationStatus | undefined;
  /** The search box (domain/caseSearch.ts): a case number or its start, a whole ID number, or part of a name. */
  text?: CaseText | undefined;
  /** Cases of these units only (an organisation and those below it). */
  unitCodes?: readonly string[] | undefined;
  /** Opened at or after `since`, before `before` (ISO instants). */
  createdSince?: string | undefined;
  createdBefore?: string | undefined;
  sort?: CaseSort | undefined;
  order?: SortOrder | undefined;
  limit: number;
  offset: number;
}

/** LIKE's own characters taken literally (with ESCAPE '\\'). */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The ORDER BY of each sortable column, from a fixed list (never the caller's words), the case number (ascending, as before the search) breaking ties. */
const SORT_SQL: Record<CaseSort, (direction: 'ASC' | 'DESC') => string> = {
  updated: (d) => `updated_at ${d}, id`,
  opened: (d) => `created_at ${d}, id`,
  case: (d) => `id ${d}`,
  applicant: (d) => `holder_name ${d}, id`,
  title: (d) => `json_extract(form, '$.eligibility.title.name') ${d}, id`,
  // In the order of the workflow, not of the status's code.
  status: (d) => `CASE status ${APPLICATION_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END ${d}, id`,
  with: (d) => `(SELECT name FROM organisations WHERE code = holder_code) ${d}, id`,
  // Cases not on notice last, whichever way.
  notice: (d) => `notice_end IS NULL, notice_end ${d}, id`,
};

export class ApplicationRepository {
  constructor(private readonly db: SqlDriver) {}

  /** Writes a new application with its first event, remembering the applicant's Idempotency-Key. */
  async create(application: Application, event: ApplicationEvent, idempotency: { key: string; requestHash: string } | null, extra: readonly Statement[]): Promise<void> {
    const a = application;
    await this.db.batch([
      sql(
        `INSERT INTO applications (id, applicant_id, unit_code, holder_code, authority_code, status, version, id_number, holder_name, level, form, eligibility,
           employer_choice, idempotency_key, request_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.id, a.applicantId, a.unitCode, a.holderCode, a.authorityCode, a.status, a.version, a.idNumber, a.holderName, a.level,
        JSON.stringify(a.form), JSON.stringify(a.eligibility), a.employerChoice, idempotency?.key ?? null, idempotency?.requestHash ?? null, a.createdAt, a.updatedAt,
      ),
      eventStatement(a.id, event, idempotency?.key ?? null),
      ...extra,
    ]);
  }

  /**
   * Moves `application` (as read, at its version) by `change`, recording `event`. Throws ConstraintError
   * when another transition landed first.
   */
  async transition(application: Application, change: ApplicationChange, event: ApplicationEvent, at: string, idempotencyKey: string | null, extra: readonly Statement[] = []): Promise<void> {
    const columns = changeColumns(change);
    await this.db.batch([
      eventStatement(application.id, event, idempotencyKey),
      sql(
        `UPDATE applications SET ${columns.map(([c]) => `${c} = ?`).join(', ')}, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
        ...columns.map(([, v]) => v), event.seq, at, application.id, application.version,
      ),
      ...extra,
    ]);
  }

  /** Rewrites the public notice's end after the calendar data changed; no event, the history keeps the first. */
  async recomputeNotice(id: string, version: number, notice: NonNullable<Application['notice']>): Promise<void> {
    await this.db.run('UPDATE applications SET notice_end = ?, notice_provisional = ?, notice_data_version = ? WHERE id = ? AND version = ?', [
      notice.end,
      notice.provisional ? 1 : 0,
      notice.dataVersion,
      id,
      version,
    ]);
  }

  async find(id: string): Promise<Application | undefined> {
    const row = await this.db.first<ApplicationRow>('SELECT * FROM applications WHERE id = ?', [id]);
    return row ? toApplication(row) : undefined;
  }

  async findIdempotent(applicantId: string, key: string): Promise<{ requestHash: string; id: string } | undefined> {
    const row = await this.db.first<{ id: string; request_hash: string }>('SELECT id, request_hash FROM applications WHERE applicant_id = ? AND idempotency_key = ?', [applicantId, key]);
    return row ? { id: row.id, requestHash: row.request_hash } : undefined;
  }

  /** The event an earlier try of the same request wrote, if any. */
  async findEventByKey(applicationId: string, personId: string, key: string): Promise<ApplicationEvent | undefined> {
    const row = await this.db.first<EventRow>('SELECT * FROM application_events WHERE application_id = ? AND person_id = ? AND idempotency_key = ?', [applicationId, personId, key]);
    return row ? toEvent(row) : undefined;
  }

  async events(id: string): Promise<ApplicationEvent[]> {
    const rows = await this.db.all<EventRow>('SELECT * FROM application_events WHERE application_id = ? ORDER BY seq', [id]);
    return rows.map(toEvent);
  }

  async list(filters: ApplicationFilters): Promise<{ items: Application[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filters.holderCode) (where.push('holder_code = ?'), params.push(filters.holderCode));
    if (filters.unitCode) (where.push('unit_code = ?'), params.push(filters.unitCode));
    if (filters.applicantId) (where.push('applicant_id = ?'), params.push(filters.applicantId));
    if (filters.status) (where.push('status = ?'), params.push(filters.status));
    const text = filters.text;
    if (text?.kind === 'case') (where.push("id LIKE ? ESCAPE '\\'"), params.push(`${likeLiteral(text.value)}%`));
    if (text?.kind === 'idNumber') (where.push('id_number = ?'), params.push(text.value));
    if (text?.kind === 'name') (where.push("holder_name LIKE ? ESCAPE '\\'"), params.push(`%${likeLiteral(text.value)}%`));
    if (filters.unitCodes) {
      if (filters.unitCodes.length === 0) return { items: [], total: 0 };
      where.push(inJson('unit_code'));
      params.push(JSON.stringify(filters.unitCodes));
    }
    if (filters.createdSince) (where.push('created_at >= ?'), params.push(filters.createdSince));
    if (filters.createdBefore) (where.push('created_at < ?'), params.push(filters.createdBefore));
    if (filters.routeCodes) {
      if (filters.routeCodes.length === 0) return { items: [], total: 0 };
      const codes = JSON.stringify(filters.routeCodes);
      where.push(`(${inJson('unit_code')} OR ${inJson('authority_code')} OR id IN (SELECT application_id FROM application_events WHERE ${inJson('org_code')}))`);
      params.push(codes, codes, codes);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.first<{ n: number }>(`SELECT COUNT(*) AS n FROM applications ${clause}`, params);
    const order = SORT_SQL[filters.sort ?? 'updated'](filters.order === 'asc' ? 'ASC' : 'DESC');
    const rows = await this.db.all<ApplicationRow>(`SELECT * FROM applications ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, filters.limit, filters.offset]);
    return { items: rows.map(toApplication), total: total?.n ?? 0 };
  }

  materialStatement(applicationId: string, m: Material): Statement {
    return sql(
      'INSERT INTO application_materials (id, application_id, item, filename, sha256, media_type, size, uploaded_by, org_code, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      m.id, applicationId, m.item, m.filename, m.sha256, m.mediaType, m.size, m.uploadedBy, m.orgCode, m.uploadedAt,
    );
  }

  async materials(applicationId: string): Promise<Material[]> {
    const rows = await this.db.all<{ id: string; item: string; filename: string; sha256: string; media_type: string; size: number; uploaded_by: string; org_code: string; uploaded_at: string }>(
      'SELECT * FROM application_materials WHERE application_id = ? ORDER BY uploaded_at, rowid',
      [applicationId],
    );
    return rows.map((r) => ({
      id: r.id,
      item: r.item,
      filename: r.filename,
      sha256: r.sha256,
      mediaType: r.media_type as Material['mediaType'],
      size: r.size,
      uploadedBy: r.uploaded_by,
      orgCode: r.org_code,
      uploadedAt: r.uploaded_at,
    }));
  }

  objectionStatement(applicationId: string, o: Objection): Statement {
    return sql(
      'INSERT INTO application_objections (id, application_id, received_on, text, lodged_by, lodged_at) VALUES (?, ?, ?, ?, ?, ?)',
      o.id, applicationId, o.receivedOn, o.text, o.lodgedBy, o.lodgedAt,
    );
  }

  /** Resolves an open objection; the WHERE keeps a resolution from being overwritten. */
  resolveObjectionStatement(applicationId: string, id: string, resolution: NonNullable<Objection['resolution']>): Statement {
    return sql(
      'UPDATE application_objections SET resolution = ?, upheld = ?, resolved_by = ?, resolved_at = ? WHERE application_id = ? AND id = ? AND resolution IS NULL',
      resolution.text, resolution.upheld ? 1 : 0, resolution.by, resolution.at, applicationId, id,
    );
  }

  async objections(applicationId: string): Promise<Objection[]> {
    const rows = await this.db.all<{ id: string; received_on: string; text: string; lodged_by: string; lodged_at: string; resolution: string | null; upheld: number | null; resolved_by: string | null; resolved_at: string | null }>(
      'SELECT * FROM application_objections WHERE application_id = ? ORDER BY lodged_at, rowid',
      [applicationId],
    );
    return rows.map((r) => ({
      id: r.id,
      receivedOn: r.received_on,
      text: r.text,
      lodgedBy: r.lodged_by,
      lodgedAt: r.lodged_at,
      resolution: r.resolution !== null ? { text: r.resolution, upheld: r.upheld === 1, by: r.resolved_by ?? '', at: r.resolved_at ?? '' } : null,
    }));
  }

  /** The 核实 log's records linked to the case, oldest first, each with the record that corrects it (if any). */
  async verificationRecords(applicationId: string): Promise<LinkedVerificationRecord[]> {
    const rows = await this.db.all<{
      id: string; org_code: string; method: string; result: string; checked_at: string; handler_name: string; superseded_by: string | null;
      title_name: string; evaluating_body: string; acquired_on: string;
    }>(
      `SELECT r.id, r.org_code, r.method, r.result, r.checked_at, r.handler_name, r.title_name, r.evaluating_body, r.acquired_on,
              (SELECT s.id FROM verification_records s WHERE s.supersedes_id = r.id) AS superseded_by
       FROM verification_records r WHERE r.application_id = ? ORDER BY r.seq`,
      [applicationId],
    );
    return rows.map((r) => ({
      id: r.id, orgCode: r.org_code, method: r.method, result: r.result, checkedAt: r.checked_at, handlerName: r.handler_name, supersededBy: r.superseded_by,
      titleName: r.title_name, evaluatingBody: r.evaluating_body, acquiredOn: r.acquired_on,
    }));
  }

}

interface EventRow {
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  person_id: string;
  person_name: string;
  org_code: string;
  org_name: string;
  role: string;
  at: string;
  opinion: string | null;
  data: string;
}

function toEvent(r: EventRow): ApplicationEvent {
  return {
    seq: r.seq,
    action: r.action,
    fromStatus: r.from_status as ApplicationStatus | null,
    toStatus: r.to_status as ApplicationStatus,
    person: { id: r.person_id, name: r.person_name },
    org: { code: r.org_code, name: r.org_name },
    role: r.role,
    at: r.at,
    opinion: r.opinion,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}
