/**
 * @module http/pages/cases/caseSteps
 * The forms of the steps a person may take on a case now (二(二)), each posting to
 * /console/cases/{id}/<step>. Which appear is decided by the route from domain/workflow.ts checkAction;
 * this module only draws them, with the pledges in the notice's words (attachment 1) and every input
 * labelled.
 */
import type { Child, FC } from 'hono/jsx';
import { SOCIAL_INSURANCE_CHECK_METHODS, SOCIAL_INSURANCE_METHOD_NAMES, SOCIAL_INSURANCE_RESULT_NAMES } from '../../../domain/checks.js';
import { MATERIAL_NAMES, type MaterialKind } from '../../../domain/materials.js';
import { STATUS_NAMES, type ApplicationStatus, type ReturnTarget, type WorkflowAction } from '../../../domain/workflow.js';
import type { ApplicationView } from '../../../services/applications/view.js';
import { EMPLOYER_CHOICE_NAMES, type Values } from './caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';

/** The unit's own steps, where it may reject a case for requiring a fresh evaluation (一(一)). */
const UNIT_STEPS: readonly ApplicationStatus[] = ['unit_review', 'public_notice'];

/** The path of each step's form under /console/cases/{id}/, as in the API (`…/start-notice`). */
export const STEP_SLUGS = {
  materials: 'upload_material',
  submit: 'submit',
  withdraw: 'withdraw',
  receive: 'receive',
  'start-notice': 'start_notice',
  objections: 'lodge_objection',
  'objection-resolutions': 'resolve_objection',
  endorse: 'endorse',
  forward: 'forward',
  approve: 'approve',
  issue: 'issue',
  return: 'return',
  reject: 'reject',
} as const satisfies Record<string, Exclude<WorkflowAction, 'update'>>;
export type StepSlug = keyof typeof STEP_SLUGS;

/** Each step as a button names it, at the top of the case page (issue 18 item 9: what this person may do now). */
export const STEP_BUTTON_NAMES: Record<StepSlug, Text> = {
  materials: { zh: '上传材料', en: 'Upload materials' },
  submit: { zh: '提交申请', en: 'Submit' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  receive: { zh: '受理', en: 'Receive' },
  'start-notice': { zh: '开始公示', en: 'Start the public notice' },
  objections: { zh: '登记异议', en: 'Record an objection' },
  'objection-resolutions': { zh: '处理异议', en: 'Resolve an objection' },
  endorse: { zh: '签署单位意见', en: 'Endorse' },
  forward: { zh: '报送', en: 'Forward' },
  approve: { zh: '批准', en: 'Approve' },
  issue: { zh: '发证', en: 'Issue the certificate' },
  return: { zh: '退回', en: 'Return' },
  reject: { zh: '不予确认', en: 'Reject' },
};
/** Revoking the certificate of an issued case (四(一)) is the certificate's step, not the case's (http/pages/caseRevoke). */
export type FormSlug = StepSlug | 'revoke';

export interface StepFormsProps {
  lang: Lang;
  csrf: string;
  /** A fresh Idempotency-Key for the forms, so a double click takes a step once. */
  retryKey: string;
  view: ApplicationView;
  /** The steps checkAction allows this person now, and that have something to offer (an open objection, a return target…). */
  allowed: ReadonlySet<StepSlug>;
  /** Items this person's role may upload. */
  uploadable: readonly MaterialKind[];
  returnTargets: readonly ReturnTarget[];
  /** Today in China, the default of date fields. */
  today: string;
  /** The pledges' texts as attachment 1 prints them (the unit's with the name and notice dates filled in). */
  pledges: { integrity: string; authenticity: string };
  /** What this person's forward must record (二(三)1(3) social insurance, 二(四) platform acceptance). */
  forwardNeeds: { socialInsuranceCheck: boolean; platformAcceptance: boolean };
  /** The form just refused, with what was typed into it. */
  failed: { slug: FormSlug; values: Values } | undefined;
  /** Steps this person will take but not yet, with why and when they open: said in words, no form (二(二)2). */
  waiting?: Partial<Record<StepSlug, Text>> | undefined;
}

interface StepProps {
  slug: FormSlug;
  heading: Text;
  intro?: Text | undefined;
  button: Text;
  danger?: boolean;
  multipart?: boolean;
  children?: Child;
}

export const StepForms: FC<StepFormsProps> = (p) => {
  const { lang, view: v } = p;
  const value = (slug: FormSlug, name: string, fallback = '') => (p.failed?.slug === slug ? (p.failed.values[name] ?? '') : fallback);
  const ticked = (slug: FormSlug, name: string) => p.failed?.slug === slug && p.failed.values[name] === 'on';
  const Step: FC<StepProps> = ({ slug, heading, intro, button, danger, multipart, children }) => (
    <div class="card step" id={`step-${slug}`}>
      <h3>{t(lang, heading)}</h3>
      {intro ? <p>{t(lang, intro)}</p> : null}
      <form class="stack" method="post" action={`/console/cases/${v.id}/${slug}`} enctype={multipart ? 'multipart/form-data' : undefined}>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="_key" value={p.retryKey} />
        {children}
        <div class="actions">
          <button type="submit" class={danger ? 'danger' : undefined}>
            {t(lang, button)}
          </button>
        </div>
      </form>
    </div>
  );
  const Opinion: FC<{ slug: FormSlug; name?: string; label: Text; required?: boolean; hint?: Text }> = ({ slug, name = 'opinion', label, required, hint }) => (
    <label>
      {t(lang, label)}
      {required ? <span aria-hidden="true"> *</span> : null}
      {hint ? <span class="hint">{t(lang, hint)}</span> : null}
      <textarea name={name} rows={3} maxlength={2000} required={required ?? false}>
        {value(slug, name)}
      </textarea>
    </label>
  );
  const DateField: FC<{ slug: FormSlug; name: string; label: Text; hint?: Text }> = ({ slug, name, label, hint }) => (
    <label>
      {t(lang, label)}
      {hint ? <span class="hint">{t(lang, hint)}</span> : null}
      <input type="date" name={name} value={value(slug, name, p.today)} required />
    </label>
  );
  /** A step that is not open yet: its heading and why, no form and no button. */
  const Waiting: FC<{ slug: StepSlug; heading: Text; text: Text }> = ({ slug, heading, text }) => (
    <div class="card step" id={`step-${slug}`}>
      <h3>{t(lang, heading)}</h3>
      <p class="na" role="note">
        {t(lang, text)}
      </p>
    </div>
  );
  const has = (slug: StepSlug) => p.allowed.has(slug);
  const openObjections = v.objections.filter((o) => !o.resolution);
  const hasCopies = v.materials.some((m) => m.item === 'original_title_proof');

  const forms: Child[] = [
    has('submit') ? (
      <Step slug="submit" heading={{ zh: '提交单位（二(二)1）', en: 'Submit to your unit (二(二)1)' }} button={{ zh: '签署承诺并提交', en: 'Sign and submit' }}>
        <fieldset>
          <legend>{t(lang, { zh: '诚信承诺书', en: 'Integrity pledge' })}</legend>
          <p class="pledge" lang="zh-CN">
            {p.pledges.integrity}
          </p>
          <label>
            <input type="checkbox" name="integrityPledge" required checked={ticked('submit', 'integrityPledge')} />
            {t(lang, { zh: '本人已阅知并签署以上诚信承诺书', en: 'I have read and sign the integrity pledge above' })}
          </label>
        </fieldset>
      </Step>
    ) : null,
    has('receive') ? (
      <Step slug="receive" heading={{ zh: '受理（二(二)2）', en: 'Receive (二(二)2)' }} button={{ zh: '受理', en: 'Receive' }}>
        <Opinion slug="receive" label={{ zh: '意见（可不填）', en: 'Opinion (optional)' }} />
      </Step>
    ) : null,
    has('start-notice') ? (
      <Step
        slug="start-notice"
        heading={{ zh: '在本单位公示（5个工作日，二(二)2）', en: 'Publish at the unit (5 working days, 二(二)2)' }}
        intro={{ zh: '公示截止日按工作日（含调休）自动计算。', en: 'The end is computed over working days, make-up days included.' }}
        button={{ zh: '开始公示', en: 'Start the notice' }}
      >
        <DateField slug="start-notice" name="start" label={{ zh: '公示开始日期', en: 'First day of the notice' }} />
        {v.eligibility.decision === 'employer_decides' ? (
          <fieldset>
            <legend>{t(lang, { zh: '单位的决定（自主评审、以聘代评取得的职称，一(一)）', en: "The unit's choice (self-evaluation titles, 一(一))" })}</legend>
            <p class="hint">
              {t(lang, { zh: '由本单位决定，记录办理人和时间。要求重新参加评审的，请在“不予确认”中勾选。', en: 'The unit decides; your name and the time are recorded. To require a fresh evaluation, reject the case and tick that box.' })}
            </p>
            <label>
              <input type="checkbox" name="employerChoice" value="reconfirm" required checked={value('start-notice', 'employerChoice') === 'reconfirm'} />
              {t(lang, EMPLOYER_CHOICE_NAMES.reconfirm)}
            </label>
          </fieldset>
        ) : null}
        <Opinion slug="start-notice" label={{ zh: '说明（可不填）', en: 'Note (optional)' }} />
      </Step>
    ) : null,
    has('objections') ? (
      <Step slug="objections" heading={{ zh: '登记公示期间收到的异议', en: 'Record an objection received during the notice' }} button={{ zh: '登记异议', en: 'Record the objection' }}>
        <DateField slug="objections" name="receivedOn" label={{ zh: '收到日期', en: 'Received on' }} />
        <Opinion slug="objections" name="text" label={{ zh: '异议内容', en: 'The objection' }} required />
      </Step>
    ) : null,
    has('objection-resolutions') ? (
      <Step slug="objection-resolutions" heading={{ zh: '处理异议', en: 'Resolve an objection' }} button={{ zh: '保存处理结果', en: 'Record the resolution' }}>
        <div>
          <label for="objection-resolutions-objectionId">{t(lang, { zh: '异议', en: 'Objection' })}</label>
          <select id="objection-resolutions-objectionId" name="objectionId" required>
            {openObjections.map((o) => (
              <option value={o.id} selected={value('objection-resolutions', 'objectionId') === o.id}>
                {o.receivedOn}：{o.text.slice(0, 40)}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{t(lang, { zh: '核查结论', en: 'Finding' })}</legend>
          <label>
            <input type="radio" name="upheld" value="no" required checked={value('objection-resolutions', 'upheld') === 'no'} />
            {t(lang, { zh: '异议不成立', en: 'Not upheld' })}
          </label>
          <label>
            <input type="radio" name="upheld" value="yes" checked={value('objection-resolutions', 'upheld') === 'yes'} />
            {t(lang, { zh: '异议成立（不能签署同意意见）', en: 'Upheld (the unit cannot endorse)' })}
          </label>
        </fieldset>
        <Opinion slug="objection-resolutions" name="text" label={{ zh: '处理结果', en: 'Resolution' }} required />
      </Step>
    ) : null,
    has('endorse') ? (
      <Step
        slug="endorse"
        heading={{ zh: '签署单位意见（二(二)2）', en: "The unit's endorsement (二(二)2)" }}
        intro={{ zh: '公示期满、异议处理完毕后方可签署。', en: 'Only after the notice has run and every objection is resolved.' }}
        button={{ zh: '签署意见', en: 'Endorse' }}
      >
        <fieldset>
          <legend>{t(lang, { zh: '呈报材料真实性承诺书', en: 'Authenticity pledge' })}</legend>
          <p class="pledge" lang="zh-CN">
            {p.pledges.authenticity}
          </p>
          <label>
            <input type="checkbox" name="authenticityPledge" required checked={ticked('endorse', 'authenticityPledge')} />
            {t(lang, { zh: '本单位签署以上呈报材料真实性承诺书', en: 'The unit signs the authenticity pledge above' })}
          </label>
        </fieldset>
        {hasCopies ? (
          <label>
            <input type="checkbox" name="originalsChecked" required checked={ticked('endorse', 'originalsChecked')} />
            {t(lang, { zh: '本单位已审核原件，原职称证书等复印件与原件相符（二(三)1(2)）', en: 'The unit checked the copies of the original certificate and papers against the originals (二(三)1(2))' })}
          </label>
        ) : null}
        <Opinion slug="endorse" label={{ zh: '单位考核意见', en: "The unit's assessment" }} required />
      </Step>
    ) : p.waiting?.endorse ? (
      <Waiting slug="endorse" heading={{ zh: '签署单位意见（二(二)2）', en: "The unit's endorsement (二(二)2)" }} text={p.waiting.endorse} />
    ) : null,
    has('forward') ? (
      <Step slug="forward" heading={{ zh: '审核并报送上一级（二(二)3）', en: 'Review and forward (二(二)3)' }} button={{ zh: '报送', en: 'Forward' }}>
        {p.forwardNeeds.socialInsuranceCheck ? (
          <fieldset>
            <legend>{t(lang, { zh: '社保缴纳核实（企业单位人员，二(三)1(3)）', en: 'Social insurance check (enterprise employee, 二(三)1(3))' })}</legend>
            <p class="hint">{t(lang, { zh: '申报人无需提供社保缴纳证明，由报送部门通过系统或其他方式核实。', en: 'The applicant supplies no proof; the submitting department checks the payments.' })}</p>
            {SOCIAL_INSURANCE_CHECK_METHODS.map((method) => (
              <label>
                <input type="radio" name="siMethod" value={method} required checked={value('forward', 'siMethod') === method} />
                {t(lang, SOCIAL_INSURANCE_METHOD_NAMES[method])}
              </label>
            ))}
            <label>
              {t(lang, { zh: '其他方式的说明', en: 'How, if another way' })}
              <input name="siMethodNote" maxlength={200} value={value('forward', 'siMethodNote')} />
            </label>
            <label>
              <input type="checkbox" name="siResult" value="confirmed" required checked={value('forward', 'siResult') === 'confirmed'} />
              {t(lang, SOCIAL_INSURANCE_RESULT_NAMES.confirmed)}
            </label>
            <p class="hint">
              {t(lang, {
                zh: '未能核实在用人单位缴纳社保的，不符合一(二)2的条件，不能报送：请退回或作“不予确认”处理。',
                en: 'If the payments cannot be confirmed the case fails 一(二)2 and cannot be forwarded: return or reject it.',
              })}
            </p>
            <label>
              {t(lang, { zh: '核实情况（可不填）', en: 'What was seen (optional)' })}
              <input name="siNote" maxlength={500} value={value('forward', 'siNote')} />
            </label>
            <DateField slug="forward" name="siCheckedOn" label={{ zh: '核实日期', en: 'Checked on' }} />
          </fieldset>
        ) : null}
        {p.forwardNeeds.platformAcceptance ? (
          <fieldset>
            <legend>{t(lang, { zh: '职称管理服务平台受理（高级职称，二(四)）', en: 'Region title platform acceptance (senior title, 二(四))' })}</legend>
            <p class="hint">
              {t(lang, { zh: '高级职称重新确认按桂职办〔2018〕72号在广西专业技术人员职称管理服务平台提交。', en: 'Senior cases are submitted on the region title platform (桂职办〔2018〕72号).' })}
            </p>
            <div class="grid2">
              <label>
                {t(lang, { zh: '平台受理编号', en: 'Platform acceptance number' })}
                <span aria-hidden="true"> *</span>
                <input name="platformNumber" required maxlength={64} value={value('forward', 'platformNumber')} autocomplete="off" />
              </label>
              <DateField slug="forward" name="platformAcceptedOn" label={{ zh: '受理日期', en: 'Accepted on' }} />
            </div>
          </fieldset>
        ) : null}
        <Opinion slug="forward" label={{ zh: '审核意见', en: 'Opinion' }} required />
      </Step>
    ) : null,
    has('approve') ? (
      <Step slug="approve" heading={{ zh: '批准（确认文号，二(二)4）', en: 'Approve by decision (二(二)4)' }} button={{ zh: '批准', en: 'Approve' }}>
        <div class="grid2">
          <label>
            {t(lang, { zh: '确认文号', en: 'Decision number' })}
            <span aria-hidden="true"> *</span>
            <span class="hint">{t(lang, { zh: '如：桂职办〔2026〕15号', en: 'e.g. 桂职办〔2026〕15号' })}</span>
            <input name="decisionNumber" required maxlength={64} value={value('approve', 'decisionNumber')} autocomplete="off" />
          </label>
          <DateField slug="approve" name="decidedOn" label={{ zh: '发文日期', en: 'Decided on' }} />
        </div>
        <Opinion slug="approve" label={{ zh: '确认意见', en: 'Opinion' }} required />
        {v.eligibility.decision === 'refused_in_principle' ? (
          <Opinion
            slug="approve"
            name="exceptionReason"
            label={{ zh: '例外确认理由（二(三)1(5)）', en: 'Why the authority accepts it as an exception (二(三)1(5))' }}
            hint={{ zh: '原评委会自行设立且未经备案，其评审结果原则上不予重新确认；批准即记录本部门例外确认的理由、办理人和时间。', en: 'The committee was set up without filing, so the title is refused in principle; approving records your reason, your name and the time.' }}
            required
          />
        ) : null}
      </Step>
    ) : null,
    has('issue') ? (
      <Step
        slug="issue"
        heading={{ zh: '发放职称电子证书（二(二)4）', en: 'Issue the e-certificate (二(二)4)' }}
        intro={{ zh: '证书取得时间为原取得时间，专业以原证书为准。', en: 'The certificate carries the original acquisition date and specialty.' }}
        button={{ zh: '发放电子证书', en: 'Issue the e-certificate' }}
      />
    ) : null,
    has('materials') ? (
      <Step
        slug="materials"
        heading={{ zh: '上传材料（二(三)）', en: 'Upload a material (二(三))' }}
        intro={{ zh: 'PDF、JPEG 或 PNG，不超过 5 MiB；电子证件照须为 JPEG 或 PNG。', en: 'PDF, JPEG or PNG, at most 5 MiB; the photo must be JPEG or PNG.' }}
        button={{ zh: '上传', en: 'Upload' }}
        multipart
      >
        <div>
          <label for="materials-item">{t(lang, { zh: '材料类别', en: 'Item' })}</label>
          <select id="materials-item" name="item" required>
            {p.uploadable.map((item) => (
              <option value={item} selected={value('materials', 'item') === item}>
                {t(lang, MATERIAL_NAMES[item] ?? { zh: item, en: item })}
              </option>
            ))}
          </select>
        </div>
        <label>
          {t(lang, { zh: '文件', en: 'File' })}
          <input type="file" name="file" required accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
        </label>
      </Step>
    ) : null,
    has('return') ? (
      <Step slug="return" heading={{ zh: '退回（四(二)）', en: 'Return (四(二))' }} button={{ zh: '退回', en: 'Return' }}>
        <div>
          <label for="return-to">{t(lang, { zh: '退回到', en: 'Return to' })}</label>
          <select id="return-to" name="to" required>
            {p.returnTargets.map((to) => (
              <option value={to} selected={value('return', 'to') === to}>
                {t(lang, STATUS_NAMES[to])}
              </option>
            ))}
          </select>
        </div>
        <Opinion slug="return" name="reason" label={{ zh: '退回理由', en: 'Reason' }} required />
      </Step>
    ) : null,
    has('reject') ? (
      <Step slug="reject" heading={{ zh: '不予确认（四(一)）', en: 'Reject (四(一))' }} button={{ zh: '不予确认', en: 'Reject' }} danger>
        <Opinion slug="reject" name="reason" label={{ zh: '不予确认理由', en: 'Reason' }} required />
        <label>
          <input type="checkbox" name="falseMaterials" checked={ticked('reject', 'falseMaterials')} />
          {t(lang, { zh: '经查实提交虚假材料（五年内不得申报晋升职称，四(一)）', en: 'False materials established (no application for a title promotion for five years, 四(一))' })}
        </label>
        {v.eligibility.decision === 'employer_decides' && UNIT_STEPS.includes(v.status) ? (
          <label>
            <input type="checkbox" name="employerChoice" value="re_evaluate" checked={value('reject', 'employerChoice') === 're_evaluate'} />
            {t(lang, { zh: '本单位要求重新参加当地（本单位）职称评审，不进行职称重新确认（一(一)）', en: 'The unit requires a fresh local evaluation instead of reconfirmation (一(一))' })}
          </label>
        ) : null}
      </Step>
    ) : null,
    has('withdraw') ? (
      <Step slug="withdraw" heading={{ zh: '撤回申请', en: 'Withdraw the application' }} button={{ zh: '撤回', en: 'Withdraw' }} danger>
        <label>
          {t(lang, { zh: '撤回原因（可不填）', en: 'Reason (optional)' })}
          <input name="reason" maxlength={500} value={value('withdraw', 'reason')} />
        </label>
      </Step>
    ) : null,
  ].filter((f) => f !== null);

  if (forms.length === 0) return null;
  return (
    <section id="steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">{t(lang, { zh: '办理', en: 'Your steps' })}</h2>
      {forms}
    </section>
  );
};
