/**
 * @module http/pages/cases/routes
 * The reconfirmation consoles (notice 二(二)): the applicant's form and cases, and for the unit, the
 * departments and the confirming authority their queue and the case page with the forms of the steps
 * each may take now. Every rule stays in the services and domain/workflow.ts: a form is shown when
 * checkAction would allow it, a post calls the same use case as the API (with the request's test clock),
 * and a refusal comes back on the page in words with what was typed kept (200, as the frame's own forms
 * answer, so a browser logs no failed load). A step that succeeds redirects (303) to the case page with a
 * notice.
 */
import type { Context, Hono } from 'hono';
import type { Application } from '../../../domain/application.js';
import { banYears } from '../../../domain/ban.js';
import { readCaseSearch } from '../../../domain/caseSearch.js';
import { REVOCATION_REASONS } from '../../../domain/certificate.js';
import { chinaDate, formatChineseDate } from '../../../domain/chineseDate.js';
import { endorsementWait } from '../../../domain/endorsement.js';
import { DomainError } from '../../../domain/errors.js';
import { MATERIAL_ITEMS, uploadableBy, type MaterialKind } from '../../../domain/materials.js';
import { may } from '../../../domain/roles.js';
import { subtreeOf } from '../../../domain/routing.js';
import { checkAction, permissionOf, type WorkflowAction } from '../../../domain/workflow.js';
import { bytesToBase64 } from '../../../lib/base64.js';
import { objectionsDuring, renderApprovalForm } from '../../../services/approvalForm.js';
import { forwardNeeds } from '../../../services/applications/forward.js';
import { issueFromApplication } from '../../../services/applications/issue.js';
import { materialFile, uploadMaterial } from '../../../services/applications/materials.js';
import { returnTargetsFor } from '../../../services/applications/return.js';
import { takeStep } from '../../../services/applications/steps.js';
import { type StepAction, type StepRequest } from '../../../services/applications/transition.js';
import { getApplication, listApplications, type ApplicationView } from '../../../services/applications/view.js';
import { caseStatements } from '../../../services/caseStatements.js';
import { casesAtDesk } from '../../../services/desk.js';
import type { Actor } from '../../../services/context.js';
import { verifyUrlOf } from '../../../services/issueCertificate.js';
import { revokeCertificate } from '../../../services/revokeCertificate.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { RevocationRequestSchema, text } from '../../schemas.js';
import { domainErrorTexts, zodErrorTexts, type Values } from './caseCommon.js';
import { CaseListPage, type CaseRow } from './caseList.js';
import { CasePage, type CaseCertificate } from './caseView.js';
import { STEP_SLUGS, StepForms, type FormSlug, type StepSlug } from './caseSteps.js';
import { RevokeConfirmation, RevokeSection, revocationConsequences } from './caseRevoke.js';
import { langOf, type Text } from '../i18n.js';
import { guard, messagePage, render } from '../frame.js';
import { csrfFor } from '../../middleware/session.js';
import { readForm } from '../../middleware/formBody.js';
import { certificateByNumber, certificatePdf } from '../../../services/certificateReads.js';
import { organisationTree } from '../../../services/organisationReads.js';
import { actorAtOf, allows, DONE, newRetryKey, PAGE_SIZE, PRIVATE, refusedPage, retryKey, StepFieldsSchema, stepLabelOf, stringsOf } from './caseRouteHelpers.js';


export function casePageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const refused = refusedPage;
  const actorAt = (actor: Actor) => actorAtOf(deps, actor);

  /** The case page, optionally with the refusal of a form and what was typed into it. */
  async function showCase(c: Context<AppEnv>, actor: Actor, id: string, refusal?: { errors: Text[]; slug: FormSlug; values: Values }) {
    const ctx = serviceContext(c, deps);
    let view: ApplicationView;
    try {
      view = await getApplication(ctx, actor, id);
    } catch (error) {
      if (error instanceof DomainError) return refused(c, error);
      throw error;
    }
    const lang = langOf(c);
    const at = await actorAt(actor);
    const openObjections = view.objections.some((o) => !o.resolution);
    const returnTargets = await returnTargetsFor(ctx, view);
    const listed = view.checklist.map((m) => m.item);
    const uploadable = uploadableBy(actor.role).filter(
      (item) => item === 'other' || listed.includes(item) || (item === 'online_verification_screenshot' && listed.includes('online_verification_route')),
    );
    const allowed = new Set(
      (Object.entries(STEP_SLUGS) as [StepSlug, WorkflowAction][])
        .filter(([slug, action]) => allows(view, action, at) && (slug !== 'objection-resolutions' || openObjections) && (slug !== 'return' || returnTargets.length > 0) && (slug !== 'materials' || uploadable.length > 0))
        .map(([slug]) => slug),
    );
    const today = chinaDate(ctx.now());
    // 二(二)2: during the notice the unit's endorsement is said with the day it opens, not offered as a form.
    const endorseWait = allowed.has('endorse') ? endorsementWait(view.notice, view.objections, today) : undefined;
    if (endorseWait) allowed.delete('endorse');
    const stored = view.certificateNumber ? await certificateByNumber(serviceContext(c, deps), view.certificateNumber) : undefined;
    const certificate: CaseCertificate | undefined = stored
      ? { number: stored.number, status: stored.status, verifyUrl: verifyUrlOf(deps.publicUrl, stored.number, stored.linkProof), revocation: stored.revocation, basis: stored.basis }
      : undefined;
    const mayRevoke = stored?.status === 'valid' && may(actor.role, 'certificate.revoke') && stored.authority.code === actor.orgCode;
    const { integrity, authenticity } = deps.formTemplate.pledges;
    const noticeDay = (date: string | undefined) => (date ? formatChineseDate(date) : deps.formTemplate.pledges.blankDate);
    // 二(二)2 公示无异议: the pledge says so only when no objection was raised; after unfounded ones, how many (as the form prints it).
    const objectionCount = objectionsDuring(view.events, undefined, view.objections);
    const noticeOutcome = objectionCount > 0 ? authenticity.objectionsUnfounded.replace('{count}', String(objectionCount)) : authenticity.noObjection;
    const fill: Record<string, string> = { name: view.holderName, noticeOutcome, noticeStart: noticeDay(view.notice?.start), noticeEnd: noticeDay(view.notice?.end) };
    const done = c.req.query('done');
    const key = newRetryKey();
    const steps = (
      <>
        <StepForms
          lang={lang}
          csrf={csrfFor(c)}
          retryKey={key}
          view={view}
          allowed={allowed}
          uploadable={uploadable}
          returnTargets={returnTargets}
          today={today}
          pledges={{ integrity: integrity.text, authenticity: authenticity.text.replace(/\{(\w+)\}/g, (whole, key: string) => fill[key] ?? whole) }}
          forwardNeeds={allowed.has('forward') ? await forwardNeeds(ctx, actor, view) : { socialInsuranceCheck: false, platformAcceptance: false }}
          failed={refusal ? { slug: refusal.slug, values: refusal.values } : undefined}
          waiting={endorseWait ? { endorse: endorseWait.message } : undefined}
        />
        {mayRevoke ? <RevokeSection lang={lang} caseId={view.id} csrf={csrfFor(c)} retryKey={key} failed={refusal?.slug === 'revoke' ? refusal.values : undefined} /> : null}
      </>
    );
    return render(
      c,
      { zh: `申请 ${view.id}`, en: `Application ${view.id}` },
      <CasePage
        lang={lang}
        view={view}
        today={today}
        certificate={certificate}
        done={refusal || !done ? undefined : DONE[done]}
        errors={refusal?.errors ?? []}
        errorAnchor={refusal ? `step-${refusal.slug}` : undefined}
        mayEdit={allows(view, 'update', at)}
        mayRecord={may(actor.role, 'verification_record.create')}
        openSteps={(Object.keys(STEP_SLUGS) as StepSlug[]).filter((slug) => allowed.has(slug)) /* never the folded revocation (四(一)) */}
        steps={steps}
        statements={await caseStatements(ctx, actor, id)}
      />,
    );
  }

  // ——— the lists ———

  app.get('/console/cases', async (c) => {
    const actor = await guard(c, 'application.read');
    if (actor instanceof Response) return actor;
    const ctx = serviceContext(c, deps);
    const q = c.req.query();
    const { search, problems } = readCaseSearch(q);
    const page = Math.min(100_000, Math.max(1, Number.parseInt(q['page'] ?? '1', 10) || 1));
    const applicantView = actor.role === 'applicant';
    const at = await actorAt(actor);
    const [queue, all, tree] = await Promise.all([
      // 待办: the cases at this organisation on which this person has a step to take (a draft held at the unit is the applicant's).
      casesAtDesk(ctx, actor, (a) => Object.values(STEP_SLUGS).some((action) => allows(a, action, at))),
      listApplications(ctx, actor, { search, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      organisationTree(serviceContext(c, deps)),
    ]);
    // The units a person may search by: their own organisation and those below it (an applicant: none).
    const organisations = applicantView ? [] : subtreeOf(tree, actor.orgCode).map((code) => ({ code, name: tree.get(code)?.name ?? code }));
    if (search.org && !organisations.some((o) => o.code === search.org)) problems.push({ field: 'org', zh: '所选单位不在您的经办范围内，没有可显示的申请。', en: 'That organisation is outside your area: there is nothing to show.' });
    // Working days left on notice, as the case view computes them (services/applications.ts).
    const daysLeft = new Map<string, Promise<number | null>>();
    const rowsOf = (items: Application[]) =>
      Promise.all(
        items.map(async (application): Promise<CaseRow> => {
          let left: Promise<number | null> | undefined;
          if (application.status === 'public_notice') {
            left = daysLeft.get(application.id) ?? getApplication(ctx, actor, application.id).then((v) => v.noticeDaysLeft);
            daysLeft.set(application.id, left);
          }
          return { application, holderName: tree.get(application.holderCode)?.name ?? application.holderCode, noticeDaysLeft: left ? await left : null };
        }),
      );
    return render(
      c,
      { zh: '职称重新确认申请', en: 'Reconfirmation applications' },
      <CaseListPage
        lang={langOf(c)}
        applicantView={applicantView}
        mayApply={may(actor.role, 'application.create')}
        queue={await rowsOf(queue)}
        all={await rowsOf(all.items)}
        total={all.total}
        page={page}
        pageSize={PAGE_SIZE}
        search={search}
        problems={problems}
        organisations={organisations}
      />,
    );
  });

  // ——— the case and its files ———

  app.get('/console/cases/:id', async (c) => {
    const actor = await guard(c, 'application.read');
    if (actor instanceof Response) return actor;
    return showCase(c, actor, c.req.param('id'));
  });

  /** A file of the case for a person who may read it; a refusal as a page. */
  async function download(c: Context<AppEnv>, file: (actor: Actor) => Promise<{ bytes: Uint8Array; type: string; disposition: string }>) {
    const actor = await guard(c, 'application.read');
    if (actor instanceof Response) return actor;
    try {
      const { bytes, type, disposition } = await file(actor);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Content-Disposition': disposition, ...PRIVATE });
    } catch (error) {
      if (error instanceof DomainError) return refused(c, error);
      throw error;
    }
  }

  app.get('/console/cases/:id/form.pdf', (c) =>
    download(c, async (actor) => {
      const id = c.req.param('id');
      const bytes = await renderApprovalForm(serviceContext(c, deps), actor, id, deps.formTemplate);
      return { bytes, type: 'application/pdf', disposition: `inline; filename="approval-form-${id}.pdf"` };
    }),
  );

  app.get('/console/cases/:id/certificate.pdf', (c) =>
    download(c, async (actor) => {
      // Whoever may read the case — the applicant, the route's reviewers, the authority's approver — may read its certificate.
      const view = await getApplication(serviceContext(c, deps), actor, c.req.param('id'));
      const bytes = view.certificateNumber ? await certificatePdf(serviceContext(c, deps), view.certificateNumber) : undefined;
      if (!bytes) throw new DomainError('not_found', { zh: '该申请尚未发证', en: 'No certificate has been issued for this application' });
      return { bytes, type: 'application/pdf', disposition: `inline; filename="ecert-${view.certificateNumber}.pdf"` };
    }),
  );

  app.get('/console/cases/:id/materials/:materialId', (c) =>
    download(c, async (actor) => {
      const { material, bytes } = await materialFile(serviceContext(c, deps), actor, c.req.param('id'), c.req.param('materialId'));
      return { bytes, type: material.mediaType, disposition: `attachment; filename="${material.id}"; filename*=UTF-8''${encodeURIComponent(material.filename)}` };
    }),
  );

  // ——— the steps ———

  /** Runs one form's step; a refusal re-renders the case page with it, a success goes back to the case. */
  async function step(c: Context<AppEnv>, actor: Actor, slug: FormSlug, values: Values, run: () => Promise<unknown>) {
    const id = c.req.param('id') ?? '';
    try {
      await run();
    } catch (error) {
      if (error instanceof DomainError) {
        if (error.code === 'not_found' && !error.field) return refused(c, error);
        return showCase(c, actor, id, { errors: domainErrorTexts(error, stepLabelOf), slug, values });
      }
      throw error;
    }
    return c.redirect(`/console/cases/${encodeURIComponent(id)}?done=${slug}`, 303);
  }

  const fieldError = (zh: string, en: string, field: string) => new DomainError('validation_failed', { zh, en }, field);

  for (const [slug, action] of Object.entries(STEP_SLUGS) as [StepSlug, Exclude<WorkflowAction, 'update'>][]) {
    app.post(`/console/cases/:id/${slug}`, async (c) => {
      const actor = await guard(c, permissionOf(action));
      if (actor instanceof Response) return actor;
      const id = c.req.param('id');
      const body = await readForm(c);
      const values = stringsOf(body);
      const ctx = serviceContext(c, deps);
      const key = retryKey(values);
      if (action === 'issue') return step(c, actor, slug, values, () => issueFromApplication(ctx, actor, id));
      if (action === 'upload_material') {
        return step(c, actor, slug, values, async () => {
          const item = values.item as MaterialKind;
          if (!MATERIAL_ITEMS.includes(item)) throw fieldError('请选择材料类别', 'Choose the item', 'item');
          const file = body.file;
          if (!(file instanceof File) || file.size === 0) throw fieldError('请选择要上传的文件', 'Choose a file to upload', 'content');
          const filename = text(200).safeParse(file.name);
          const content = `data:${file.type || 'application/octet-stream'};base64,${bytesToBase64(new Uint8Array(await file.arrayBuffer()))}`;
          await uploadMaterial(ctx, actor, id, { item, filename: filename.success ? filename.data : item, content }, key);
        });
      }
      const present = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
      const fields = StepFieldsSchema.safeParse(present);
      if (!fields.success) return showCase(c, actor, id, { errors: zodErrorTexts(fields.error, stepLabelOf), slug, values });
      const { siMethod, siMethodNote, siResult, siNote, siCheckedOn, platformNumber, platformAcceptedOn, ...stepFields } = fields.data;
      const request: StepRequest = {
        ...stepFields,
        integrityPledge: values.integrityPledge === 'on',
        authenticityPledge: values.authenticityPledge === 'on',
        upheld: values.upheld === 'yes',
        falseMaterials: values.falseMaterials === 'on',
        originalsChecked: values.originalsChecked === 'on',
        // A form without the fieldsets leaves these out, and the step says what it needs.
        socialInsuranceCheck: siMethod && siResult ? { method: siMethod, methodNote: siMethodNote ?? null, result: siResult, note: siNote ?? null, checkedOn: siCheckedOn ?? '' } : undefined,
        platformAcceptance: platformNumber || platformAcceptedOn ? { number: platformNumber ?? '', acceptedOn: platformAcceptedOn ?? '' } : undefined,
      };
      return step(c, actor, slug, values, () => takeStep(ctx, actor, id, action as StepAction, request, key));
    });
  }

  /**
   * Revocation in two pages (四(一)): the folded form asks for a reason (none preselected) and a note, then a
   * confirmation page states the consequence — for false materials the five-year ban with its years — and
   * only its ticked box and button revoke.
   */
  app.post('/console/cases/:id/revoke', async (c) => {
    const actor = await guard(c, 'certificate.revoke');
    if (actor instanceof Response) return actor;
    if (!may(actor.role, 'application.read')) return messagePage(c, 403, { zh: '无权访问', en: 'Not allowed' }, { zh: '请在证书管理中撤销。', en: 'Revoke it from the certificates API.' });
    const values = stringsOf(await readForm(c));
    const id = c.req.param('id');
    const errors: Text[] = [];
    if (!(REVOCATION_REASONS as readonly string[]).includes(values.reason ?? '')) errors.push({ zh: '请选择撤销原因', en: 'Choose the reason for the revocation' });
    if ((values.note ?? '').trim() === '') errors.push({ zh: '请填写撤销说明（查实的事实和依据）', en: 'Write the note: the facts established and how' });
    const parsed = RevocationRequestSchema.safeParse({ reason: values.reason, note: (values.note ?? '').trim() });
    if (errors.length === 0 && !parsed.success) errors.push(...zodErrorTexts(parsed.error, stepLabelOf));
    if (errors.length > 0 || !parsed.success) return showCase(c, actor, id, { errors, slug: 'revoke', values });
    const ctx = serviceContext(c, deps);
    let view: ApplicationView;
    try {
      view = await getApplication(ctx, actor, id);
    } catch (error) {
      if (error instanceof DomainError) return refused(c, error);
      throw error;
    }
    const certificateNumber = view.certificateNumber;
    if (!certificateNumber) return showCase(c, actor, id, { errors: [{ zh: '该申请尚未发证', en: 'No certificate has been issued for this application' }], slug: 'revoke', values });
    const { reason, note } = parsed.data;
    // Confirmation is asked only of a revocation that can happen: the issuing authority's, of a valid certificate (四(四)).
    const stored = await certificateByNumber(serviceContext(c, deps), certificateNumber);
    if (stored?.status === 'revoked') return showCase(c, actor, id, { errors: [{ zh: '该证书已被撤销', en: 'This certificate is already revoked' }], slug: 'revoke', values });
    if (!stored || stored.authority.code !== actor.orgCode) return showCase(c, actor, id, { errors: [{ zh: '只有发证的确认部门可以撤销该证书', en: 'Only the authority that issued it may revoke this certificate' }], slug: 'revoke', values });
    if (values.stage !== 'confirm' || values.confirmed !== 'on') {
      const lang = langOf(c);
      return render(
        c,
        { zh: '确认撤销证书', en: 'Confirm the revocation' },
        <RevokeConfirmation
          lang={lang}
          caseId={view.id}
          csrf={csrfFor(c)}
          retryKey={retryKey(values) ?? newRetryKey()}
          certificateNumber={certificateNumber}
          holderName={view.holderName}
          titleName={view.form.eligibility.title.name}
          reason={reason}
          note={note}
          consequences={revocationConsequences(reason, banYears(Number(chinaDate(ctx.now()).slice(0, 4))))}
          errors={values.stage === 'confirm' ? [{ zh: '请勾选“我已知悉以上后果”后再撤销', en: 'Tick the box that you understand the consequences, then revoke' }] : []}
        />,
      );
    }
    return step(c, actor, 'revoke', values, () => revokeCertificate(ctx, actor, certificateNumber, { reason, note }));
  });
}
