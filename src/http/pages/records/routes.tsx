/**
 * @module http/pages/records/routes
 * The handler's console for the 核实 log (notice 四(三), attachment 2): record a verification, list and
 * search the organisation's records, read one, and download its PDF, its evidence file and the CSV.
 * Handlers write; handlers and auditors read. The pages call the same services as the API
 * (/api/v1/verification-records) and show the same messages, in words, beside the inputs.
 */
import type { Context, Hono } from 'hono';
import { registerShowsFullIdNumber } from '../../../domain/ban.js';
import { DomainError } from '../../../domain/errors.js';
import { may } from '../../../domain/roles.js';
import type { ApplicationStatus } from '../../../domain/workflow.js';
import { getApplication, listApplications } from '../../../services/applications/view.js';
import type { Actor, ServiceContext } from '../../../services/context.js';
import { recordSheetPdf } from '../../../services/recordSheet.js';
import { recordVerification } from '../../../services/recordVerification.js';
import { DEFAULT_PAGE_SIZE, getVerificationRecord, listVerificationRecords, verificationEvidence, type VerificationRecordQuery } from '../../../services/verificationLog.js';
import { base64url, randomBytes } from '../../../lib/bytes.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { csrfFor } from '../../middleware/session.js';
import { STATUS_OF } from '../../problem.js';
import { personName, VerificationRecordQuerySchema } from '../../schemas.js';
import { problemFromZod } from '../../zodProblem.js';
import { langOf, t, type Text } from '../i18n.js';
import { checkRecordRequest, readRecordForm, RecordForm, serviceErrors, withLabel, type RecordFormError, type RecordFormValues } from './recordForm.js';
import { FILTER_LABELS, FILTER_NAMES, filterQuery, RecordList, type RecordFilters, type RecordListProps } from './recordList.js';
import { RecordView } from './recordView.js';
import { CSV_DOWNLOAD_HEADERS, verificationRecordsCsv } from '../../downloads/verificationRecordsCsv.js';
import { BAN_CSV_DOWNLOAD_HEADERS, banRegisterCsv } from '../../downloads/banRegisterCsv.js';
import { guard, messagePage, render } from '../frame.js';
import { readForm } from '../../middleware/formBody.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EXTENSIONS = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' } as const;
const NEW_TITLE: Text = { zh: '登记核实情况', en: 'Record a verification' };

/** A fresh key for a form: its retries (a second click, a reload) return the record the first one kept. */
const newFormKey = () => base64url(randomBytes(18));

/** The search form's filters, and the API's query they stand for — or why they cannot be used. */
function readFilters(c: Context<AppEnv>): { filters: RecordFilters; query: VerificationRecordQuery; errors: Text[] } {
  const given = c.req.query();
  const filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, (given[name] ?? '').trim()])) as unknown as RecordFilters;
  const input = Object.fromEntries(Object.entries({ ...filters, page: given.page ?? '' }).filter(([, value]) => value !== ''));
  const parsed = VerificationRecordQuerySchema.safeParse({ ...input, pageSize: DEFAULT_PAGE_SIZE });
  if (parsed.success) return { filters, query: parsed.data, errors: [] };
  const errors = (problemFromZod(parsed.error).errors ?? []).map((e) => labelledFilterError(e.field, e.message));
  return { filters, query: {}, errors };
}

const labelledFilterError = (field: string | undefined, message: Text): Text => {
  const label = field ? FILTER_LABELS[field as keyof typeof FILTER_LABELS] : undefined;
  return label && field ? withLabel(field, label, message) : message;
};

/** A refusal that belongs on the page (a bad filter, a missing record), not in a problem+json. */
function pageRefusal(error: unknown, code: DomainError['code']): DomainError {
  if (error instanceof DomainError && error.code === code) return error;
  throw error;
}

/** 四(一), 四(四): the ban register's link only for a role that may read bans, saying when its names and ID numbers come masked. */
const banRegisterLink = (role: string): RecordListProps['banRegister'] => (!may(role, 'ban.read') ? null : registerShowsFullIdNumber(role) ? 'full' : 'masked');

/** Cases no longer open to a 核实 record: decided, issued or withdrawn. */
const CLOSED_STATUSES: readonly ApplicationStatus[] = ['issued', 'rejected', 'withdrawn'];

/** The open cases this person may read, newest first, as the record form offers them (`RC… 李四 · 高级工程师`). */
async function openCasesOf(ctx: ServiceContext, actor: Actor): Promise<{ id: string; label: string }[]> {
  if (!may(actor.role, 'application.read')) return [];
  const { items } = await listApplications(ctx, actor, { limit: 200, offset: 0 });
  return items.filter((a) => !CLOSED_STATUSES.includes(a.status)).map((a) => ({ id: a.id, label: `${a.holderName} · ${a.form.eligibility.title.name}` }));
}

/** A case's title as the record form's fields, when this person may read the case; nothing otherwise. */
async function caseFacts(ctx: ServiceContext, actor: Actor, id: string | undefined): Promise<RecordFormValues> {
  if (!id || !/^RC[0-9A-Za-z-]{1,40}$/.test(id) || !may(actor.role, 'application.read')) return {};
  try {
    const a = await getApplication(ctx, actor, id);
    const { obtained, title } = a.form.eligibility;
    return {
      applicationId: a.id,
      'subject.holderName': a.form.applicant.name,
      'subject.idNumber': a.form.applicant.idNumber,
      'subject.titleName': title.name,
      'subject.evaluatingBody': obtained.committee?.name ?? '',
      'subject.acquiredOn': obtained.on,
      'subject.certificateNumber': a.form.originalCertificateNumber ?? '',
    };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return {};
    throw error;
  }
}

export function recordPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/console/records', async (c) => {
    const actor = await guard(c, 'verification_record.read');
    if (actor instanceof Response) return actor;
    const { filters, query, errors } = readFilters(c);
    let page: RecordListProps['page'] = { items: [], total: 0, page: 1, pageSize: DEFAULT_PAGE_SIZE };
    if (errors.length === 0) {
      try {
        page = await listVerificationRecords(serviceContext(c, deps), actor, query);
      } catch (error) {
        const refusal = pageRefusal(error, 'validation_failed'); // e.g. 2026-02-30, a date that does not exist
        errors.push(labelledFilterError(refusal.field, { zh: refusal.zh, en: refusal.en }));
      }
    }
    const list = <RecordList lang={langOf(c)} filters={filters} errors={errors} page={page} canCreate={may(actor.role, 'verification_record.create')} banRegister={banRegisterLink(actor.role)} />;
    return render(c, { zh: '核实记录', en: 'Verification records' }, list);
  });

  // 四(一): the ban register — who may not apply for a title promotion — for the auditor (full ID numbers) and staff.
  app.get('/console/bans.csv', async (c) => {
    const actor = await guard(c, 'ban.read');
    if (actor instanceof Response) return actor;
    return c.body(await banRegisterCsv(serviceContext(c, deps), actor, {}), 200, BAN_CSV_DOWNLOAD_HEADERS);
  });

  app.get('/console/records.csv', async (c) => {
    const actor = await guard(c, 'verification_record.read');
    if (actor instanceof Response) return actor;
    const { filters, query, errors } = readFilters(c);
    // Filters that cannot be used are explained on the list, not downloaded as a file.
    const explained = () => c.redirect(`/console/records?${filterQuery(filters)}`, 303);
    if (errors.length > 0) return explained();
    try {
      return c.body(await verificationRecordsCsv(serviceContext(c, deps), actor, query), 200, CSV_DOWNLOAD_HEADERS);
    } catch (error) {
      pageRefusal(error, 'validation_failed');
      return explained();
    }
  });

  // A form with errors comes back as a page (200, as the sign-in form does): the errors are in words on it.
  const formPage = async (c: Context<AppEnv>, actor: Actor, values: RecordFormValues, errors: RecordFormError[], idempotencyKey: string) => {
    const lang = langOf(c);
    const cases = await openCasesOf(serviceContext(c, deps), actor);
    return render(
      c,
      NEW_TITLE,
      <section>
        <h1>{t(lang, NEW_TITLE)}</h1>
        <p>{t(lang, { zh: '核实情况记录单（附件2）：原件确实无法提供时，通过信息系统、发函、电话或其他方式核实后如实填写（通知四(三)）。提交后记录不可修改。', en: 'Attachment 2: when the original proof truly cannot be supplied, record how the title was verified — information system, official letter, phone or another way (notice 四(三)). A kept record cannot be changed.' })}</p>
        <RecordForm lang={lang} csrf={csrfFor(c)} idempotencyKey={idempotencyKey} values={values} errors={errors} cases={cases} />
      </section>,
    );
  };

  app.get('/console/records/new', async (c) => {
    const actor = await guard(c, 'verification_record.create');
    if (actor instanceof Response) return actor;
    // The signed-in person signs as handler (四(四)), when their name is one the record can carry.
    const handlerName = personName.safeParse(actor.personName).success ? actor.personName : '';
    // From a case page (?case=…): the case linked and its title's facts filled in, when this person may read it.
    const fromCase = await caseFacts(serviceContext(c, deps), actor, c.req.query('case'));
    return formPage(c, actor, { 'handler.name': handlerName, ...fromCase }, [], newFormKey());
  });

  app.post('/console/records/new', async (c) => {
    const actor = await guard(c, 'verification_record.create');
    if (actor instanceof Response) return actor;
    const { request: raw, values } = await readRecordForm(await readForm(c));
    const key = IDEMPOTENCY_KEY.test(values.idempotencyKey ?? '') ? values.idempotencyKey! : newFormKey();
    const { request, errors } = checkRecordRequest(raw);
    if (!request) return formPage(c, actor, values, errors, key);
    try {
      const { record, created } = await recordVerification(serviceContext(c, deps), actor, request, key);
      return c.redirect(`/console/records/${record.id}?notice=${created ? 'created' : 'existing'}`, 303);
    } catch (error) {
      // The person's to fix is shown on the form; the service's own failures (5xx) go to the error handler.
      if (!(error instanceof DomainError) || STATUS_OF[error.code] >= 500) throw error;
      if (error.code === 'idempotency_conflict') {
        // The form was sent before (back button) and changed since: a second record is a new form.
        const again: RecordFormError = { field: undefined, message: { zh: '这份表单此前已提交并登记过；如确需另登记一条核实记录，请核对后再次提交。', en: 'This form was already sent and recorded; to record another verification, check it and send it again.' } };
        return formPage(c, actor, values, [again], newFormKey());
      }
      return formPage(c, actor, values, serviceErrors(error), key);
    }
  });

  const notFound = (c: Context<AppEnv>, refusal: DomainError) => messagePage(c, 404, { zh: '未找到', en: 'Not found' }, { zh: refusal.zh, en: refusal.en });
  const noSuchRecord = new DomainError('not_found', { zh: '本机构没有这条核实记录。', en: 'Your organisation has no such verification record.' });

  /** A GET of one record (handlers and auditors of its organisation); anything the service cannot find is a 404 page. */
  const recordRoute = (path: string, answer: (c: Context<AppEnv>, actor: Actor, id: string) => Promise<Response>) =>
    app.get(path, async (c) => {
      const actor = await guard(c, 'verification_record.read');
      if (actor instanceof Response) return actor;
      const id = c.req.param('id') ?? '';
      if (!RECORD_ID.test(id)) return notFound(c, noSuchRecord);
      try {
        return await answer(c, actor, id);
      } catch (error) {
        return notFound(c, pageRefusal(error, 'not_found'));
      }
    });

  recordRoute('/console/records/:id', async (c, actor, id) => {
    const view = await getVerificationRecord(serviceContext(c, deps), actor, id);
    const notice = c.req.query('notice');
    return render(
      c,
      { zh: `核实记录 · ${view.record.subject.holderName}`, en: `Verification record · ${view.record.subject.holderName}` },
      <RecordView
        lang={langOf(c)}
        view={view}
        notice={
          notice === 'created'
            ? { zh: `核实情况已登记，记录编号 ${view.record.id}。`, en: `The verification was recorded as ${view.record.id}.` }
            : notice === 'existing'
              ? { zh: `这份表单此前已登记为记录 ${view.record.id}，未重复登记。`, en: `This form was already recorded as ${view.record.id}; nothing was added.` }
              : undefined
        }
      />,
    );
  });

  recordRoute('/console/records/:id/pdf', async (c, actor, id) => {
    const sheet = await recordSheetPdf(serviceContext(c, deps), actor, id, deps.recordTemplate);
    return c.body(sheet.pdf as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="verification-record-${sheet.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`核实情况记录单-${sheet.id}.pdf`)}`,
      ...PRIVATE,
    });
  });

  recordRoute('/console/records/:id/evidence', async (c, actor, id) => {
    const file = await verificationEvidence(serviceContext(c, deps), actor, id);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename="evidence-${id}.${EXTENSIONS[file.mediaType]}"`,
      ...PRIVATE,
    });
  });
}
