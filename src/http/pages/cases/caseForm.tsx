/**
 * @module http/pages/cases/caseForm
 * The applicant's form (二(二)1): the case for eligibility (一) and the facts of the approval form
 * (attachment 1), one labelled input per field of the API's ApplicationForm. Field names are the JSON
 * paths of that form, so a refusal naming `applicant.idNumber` finds its label (caseFormLabels); the page assembles
 * the JSON body and the API's own schema judges it.
 */
import type { FC } from 'hono/jsx';
import type { ApplicationForm } from '../../../domain/application.js';
import { findTitle, listSeries } from '../../../domain/catalog.js';
import { ACQUISITION_METHODS as OBTAINING_METHODS, GENDERS } from '../../../domain/certificate.js';
import { EMPLOYER_KINDS, OBTAINED_REGIONS } from '../../../domain/eligibility.js';
import { ID_TYPE_NAMES, ID_TYPES } from '../../../domain/idDocument.js';
import { Errors } from '../layout.js';
import { EMPLOYER_KIND_NAMES, GENDER_TEXT, METHOD_NAMES, REGION_NAMES, type Values } from './caseCommon.js';
import { applicationFieldLabel, LABELS, ROW_FIELDS } from './caseFormLabels.js';
import { t, type Lang, type Text } from '../i18n.js';

/** Work-history row groups offered on a new form; blank ones are ignored. */
export const WORK_HISTORY_ROWS = 5;

/** The catalogue choice `series:name` of the form (one select, 一(二)1), as the API's title. */
const titleValue = (series: string, name: string) => `${series}:${findTitle(series, name)?.name ?? name}`;
function titleOf(choice: string): { series: string; name: string } {
  const at = choice.indexOf(':');
  return at < 0 ? { series: '', name: '' } : { series: choice.slice(0, at), name: choice.slice(at + 1) };
}

const present = (v: Values, key: string) => (v[key] ?? '').trim() !== '';
const orNull = (v: Values, key: string) => (present(v, key) ? v[key]! : null);
const ticked = (v: Values, key: string) => v[key] === 'on';

/**
 * The JSON body of POST /api/v1/reconfirmations from the posted fields, and for each work-history entry
 * the form row it came from (blank rows are left out).
 * @example applicationFormBody({ 'applicant.name': '李四', … }).body.applicant.name // '李四'
 */
export function applicationFormBody(v: Values): { body: unknown; rows: number[] } {
  const s = (key: string) => v[key] ?? '';
  const rows: number[] = [];
  for (let i = 0; Object.keys(ROW_FIELDS).some((f) => `workHistory.${i}.${f}` in v); i++) {
    if (Object.keys(ROW_FIELDS).some((f) => present(v, `workHistory.${i}.${f}`))) rows.push(i);
  }
  const body = {
    eligibility: {
      title: titleOf(s('eligibility.title')),
      obtained: {
        region: s('eligibility.obtained.region'),
        ...(present(v, 'eligibility.obtained.place') ? { place: s('eligibility.obtained.place') } : {}),
        method: s('eligibility.obtained.method'),
        on: s('eligibility.obtained.on'),
        committee: present(v, 'eligibility.obtained.committee.name')
          ? { name: s('eligibility.obtained.committee.name'), filed: ticked(v, 'eligibility.obtained.committee.filed'), onlineQueryUrl: orNull(v, 'eligibility.obtained.committee.onlineQueryUrl') }
          : null,
      },
      employment: {
        since: s('eligibility.employment.since'),
        personnelTransferred: ticked(v, 'eligibility.employment.personnelTransferred'),
        socialInsurance: ticked(v, 'eligibility.employment.socialInsurance'),
        employerKind: s('eligibility.employment.employerKind'),
        currentSeries: s('eligibility.employment.currentSeries'),
      },
      employerChoice: null, // the unit records it when it publishes the notice (一(一))
      onlineVerification: ticked(v, 'eligibility.onlineVerification'),
    },
    applicant: {
      name: s('applicant.name'),
      gender: s('applicant.gender'),
      idType: s('applicant.idType'),
      idNumber: s('applicant.idNumber'),
      birthMonth: orNull(v, 'applicant.birthMonth'),
      education: s('applicant.education'),
      graduation: { on: s('applicant.graduation.on'), school: s('applicant.graduation.school'), major: s('applicant.graduation.major') },
      workStartedOn: s('applicant.workStartedOn'),
      originalEmployer: s('applicant.originalEmployer'),
      originalWork: s('applicant.originalWork'),
      currentWork: s('applicant.currentWork'),
      personnelFileHolder: s('applicant.personnelFileHolder'),
    },
    specialty: s('specialty'),
    originalCertificateNumber: orNull(v, 'originalCertificateNumber'),
    workHistory: rows.map((i) => ({
      from: s(`workHistory.${i}.from`),
      to: orNull(v, `workHistory.${i}.to`),
      place: s(`workHistory.${i}.place`),
      work: s(`workHistory.${i}.work`),
      post: s(`workHistory.${i}.post`),
    })),
    workSummary: s('workSummary'),
    onlineVerificationUrl: orNull(v, 'onlineVerificationUrl'),
    originalProofUnavailable: orNull(v, 'originalProofUnavailable'),
  };
  return { body, rows };
}

/** The fields of a saved form, to edit a draft. */
export function applicationFormValues(form: ApplicationForm): Values {
  const { title, obtained, employment } = form.eligibility;
  const a = form.applicant;
  const v: Values = {
    'eligibility.title': titleValue(title.series, title.name),
    'eligibility.obtained.region': obtained.region,
    'eligibility.obtained.place': obtained.place ?? '',
    'eligibility.obtained.method': obtained.method,
    'eligibility.obtained.on': obtained.on,
    'eligibility.obtained.committee.name': obtained.committee?.name ?? '',
    'eligibility.obtained.committee.onlineQueryUrl': obtained.committee?.onlineQueryUrl ?? '',
    'eligibility.employment.since': employment.since,
    'eligibility.employment.employerKind': employment.employerKind,
    'eligibility.employment.currentSeries': employment.currentSeries,
    'applicant.name': a.name,
    'applicant.gender': a.gender,
    'applicant.idType': a.idType,
    'applicant.idNumber': a.idNumber,
    'applicant.birthMonth': a.birthMonth ?? '',
    'applicant.education': a.education,
    'applicant.graduation.on': a.graduation.on,
    'applicant.graduation.school': a.graduation.school,
    'applicant.graduation.major': a.graduation.major,
    'applicant.workStartedOn': a.workStartedOn,
    'applicant.originalEmployer': a.originalEmployer,
    'applicant.originalWork': a.originalWork,
    'applicant.currentWork': a.currentWork,
    'applicant.personnelFileHolder': a.personnelFileHolder,
    specialty: form.specialty,
    originalCertificateNumber: form.originalCertificateNumber ?? '',
    workSummary: form.workSummary,
    onlineVerificationUrl: form.onlineVerificationUrl ?? '',
    originalProofUnavailable: form.originalProofUnavailable ?? '',
  };
  const checks: [string, boolean][] = [
    ['eligibility.obtained.committee.filed', obtained.committee?.filed === true],
    ['eligibility.employment.personnelTransferred', employment.personnelTransferred],
    ['eligibility.employment.socialInsurance', employment.socialInsurance],
    ['eligibility.onlineVerification', form.eligibility.onlineVerification],
  ];
  for (const [key, on] of checks) if (on) v[key] = 'on';
  form.workHistory.forEach((w, i) => {
    Object.assign(v, { [`workHistory.${i}.from`]: w.from, [`workHistory.${i}.to`]: w.to ?? '', [`workHistory.${i}.place`]: w.place, [`workHistory.${i}.work`]: w.work, [`workHistory.${i}.post`]: w.post });
  });
  return v;
}

interface FieldProps {
  lang: Lang;
  values: Values;
  /** Each refused field's words, shown beside it (applicationFormErrors). */
  fieldErrors: Readonly<Record<string, Text>>;
  name: string;
  label?: Text;
  hint?: Text;
  type?: 'text' | 'date' | 'month' | 'url';
  required?: boolean;
  maxlength?: number;
  list?: string;
  autocomplete?: string;
}

const labelOf = (p: { name: string; label?: Text | undefined }) => p.label ?? applicationFieldLabel(p.name) ?? { zh: p.name, en: p.name };

/** The words of a refused field, inside its label so that they are read with it. */
const FieldError: FC<{ lang: Lang; name: string; error: Text | undefined }> = ({ lang, name, error }) =>
  error ? (
    <span class="field-error" id={`err-${name}`}>
      {t(lang, error)}
    </span>
  ) : null;
const invalid = (p: FieldProps) => (p.fieldErrors[p.name] ? { 'aria-invalid': 'true', 'aria-describedby': `err-${p.name}` } : {});

const Input: FC<FieldProps> = (p) => (
  <label>
    {t(p.lang, labelOf(p))}
    {p.required ? <span aria-hidden="true"> *</span> : null}
    {p.hint ? <span class="hint">{t(p.lang, p.hint)}</span> : null}
    <FieldError lang={p.lang} name={p.name} error={p.fieldErrors[p.name]} />
    <input
      {...invalid(p)}
      type={p.type ?? 'text'}
      name={p.name}
      value={p.values[p.name] ?? ''}
      required={p.required ?? false}
      maxlength={p.maxlength}
      list={p.list}
      autocomplete={p.autocomplete ?? 'off'}
      placeholder={p.type === 'month' ? 'YYYY-MM' : undefined}
      pattern={p.type === 'month' ? '\\d{4}-\\d{2}' : undefined}
    />
  </label>
);

const Check: FC<FieldProps> = (p) => (
  <label>
    <input type="checkbox" name={p.name} checked={p.values[p.name] === 'on'} {...invalid(p)} />
    {t(p.lang, labelOf(p))}
    {p.hint ? <span class="hint">{t(p.lang, p.hint)}</span> : null}
    <FieldError lang={p.lang} name={p.name} error={p.fieldErrors[p.name]} />
  </label>
);

const Select: FC<FieldProps & { options: readonly { value: string; text: Text }[]; groups?: readonly { label: Text; options: readonly { value: string; text: Text }[] }[]; blank?: Text }> = (p) => (
  // The label stands apart from the select (for=), so the select's name is the label alone, not its options too.
  <div>
    <label for={`f-${p.name}`}>
      {t(p.lang, labelOf(p))}
      {p.required ? <span aria-hidden="true"> *</span> : null}
      {p.hint ? <span class="hint">{t(p.lang, p.hint)}</span> : null}
      <FieldError lang={p.lang} name={p.name} error={p.fieldErrors[p.name]} />
    </label>
    <select id={`f-${p.name}`} name={p.name} required={p.required ?? false} {...invalid(p)}>
      {p.blank ? <option value="">{t(p.lang, p.blank)}</option> : null}
      {p.options.map((o) => (
        <option value={o.value} selected={p.values[p.name] === o.value}>
          {t(p.lang, o.text)}
        </option>
      ))}
      {(p.groups ?? []).map((g) => (
        <optgroup label={t(p.lang, g.label)}>
          {g.options.map((o) => (
            <option value={o.value} selected={p.values[p.name] === o.value}>
              {t(p.lang, o.text)}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  </div>
);

const SERIES_OPTIONS = listSeries().map((s) => ({ value: s.code, text: { zh: s.name, en: s.nameEn } }));
// 一(二)1 and 二(一): the original title is one of the catalogue's (domain/catalog.ts), chosen within its series — never typed.
const TITLE_GROUPS = listSeries().map((s) => ({
  label: { zh: s.name, en: s.nameEn },
  options: s.titles.map((title) => ({ value: titleValue(s.code, title.name), text: title.legacy ? { zh: `${title.name}（改革前名称）`, en: `${title.name} (name before the reform)` } : { zh: title.name, en: title.name } })),
}));
const CHOOSE = { zh: '请选择', en: 'Choose' };

export interface ApplicationFormPageProps {
  lang: Lang;
  csrf: string;
  /** A fresh Idempotency-Key, so a double click saves one draft. */
  retryKey: string;
  /** Where the form posts: /console/cases/new or /console/cases/{id}/edit. */
  action: string;
  heading: Text;
  submitText: Text;
  values: Values;
  errors: Text[];
  /** The refused fields' words, beside each (applicationFormErrors). */
  fieldErrors?: Readonly<Record<string, Text>> | undefined;
  cancelHref: string;
}

/** The application form, all of it usable without a script. */
export const ApplicationFormPage: FC<ApplicationFormPageProps> = ({ lang, csrf, retryKey, action, heading, submitText, values, errors, fieldErrors = {}, cancelHref }) => {
  const f = { lang, values, fieldErrors };
  const highestRow = Math.max(-1, ...Object.entries(values).map(([k, v]) => (v.trim() === '' ? -1 : Number(/^workHistory\.(\d+)\./.exec(k)?.[1] ?? -1))));
  const rowCount = Math.max(WORK_HISTORY_ROWS, highestRow + 2);
  return (
    <section>
      <h1>{t(lang, heading)}</h1>
      <p>
        {t(lang, {
          zh: '按《职称重新确认审批表》（附件1）填写。保存后为草稿，上传材料并签署诚信承诺书后提交单位（二(二)1）。带 * 的为必填项。',
          en: 'Fill in the approval form (attachment 1). It is saved as a draft; upload the materials and sign the integrity pledge to submit it to your unit (二(二)1). Fields marked * are required.',
        })}
      </p>
      <Errors lang={lang} errors={errors} />
      <form class="stack" method="post" action={action}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="_key" value={retryKey} />
        <fieldset>
          <legend>{t(lang, { zh: '原取得的职称（一、二(三)1(5)）', en: 'The original title (一, 二(三)1(5))' })}</legend>
          <div class="grid2">
            <Select {...f} name="eligibility.title" required options={[]} groups={TITLE_GROUPS} blank={CHOOSE} hint={{ zh: '按职称系列从职称目录中选择，如：工程技术 — 高级工程师', en: 'From the title catalogue, by series, e.g. 工程技术 — 高级工程师' }} />
            <Select {...f} name="eligibility.obtained.region" required options={OBTAINED_REGIONS.map((r) => ({ value: r, text: REGION_NAMES[r] }))} blank={CHOOSE} />
            <Input {...f} name="eligibility.obtained.place" maxlength={100} hint={{ zh: '如：湖南省', en: 'e.g. 湖南省' }} />
            <Select {...f} name="eligibility.obtained.method" required options={OBTAINING_METHODS.map((m) => ({ value: m, text: METHOD_NAMES[m] }))} blank={CHOOSE} />
            <Input {...f} name="eligibility.obtained.on" type="date" required hint={{ zh: '确认后的证书以原取得时间为准（二(二)4）', en: 'The certificate keeps this date (二(二)4)' }} />
            <Input {...f} name="eligibility.obtained.committee.name" maxlength={100} hint={{ zh: '自主评审、以聘代评的可不填', en: 'May be left blank for self-evaluation titles' }} />
            <Input {...f} name="eligibility.obtained.committee.onlineQueryUrl" type="url" maxlength={2000} hint={{ zh: '中直单位中初级职称：填写可在线查询评委会备案的网址，免于上传备案审批证明（二(三)1(5)）', en: 'Central-unit intermediate/junior titles: a web address to check the filing replaces the filing proof (二(三)1(5))' }} />
            <Input {...f} name="specialty" required maxlength={50} />
            <Input {...f} name="originalCertificateNumber" maxlength={64} />
          </div>
          <Check {...f} name="eligibility.obtained.committee.filed" hint={{ zh: '自行设立且未经备案的评委会评审结果原则上不予重新确认（二(三)1(5)）', en: 'Results of an unfiled committee are in principle not reconfirmed (二(三)1(5))' }} />
        </fieldset>

        <fieldset>
          <legend>{t(lang, { zh: '在我区工作情况（一(二)2、3）', en: 'Work in Guangxi (一(二)2, 3)' })}</legend>
          <div class="grid2">
            <Input {...f} name="eligibility.employment.since" type="date" required hint={{ zh: '须满2年', en: 'Must be 2 years or more' }} />
            <Select {...f} name="eligibility.employment.employerKind" required options={EMPLOYER_KINDS.map((k) => ({ value: k, text: EMPLOYER_KIND_NAMES[k] }))} blank={CHOOSE} />
            <Select {...f} name="eligibility.employment.currentSeries" required options={SERIES_OPTIONS} blank={CHOOSE} hint={{ zh: '须与原职称系列一致', en: 'Must be the series of the original title' }} />
          </div>
          <Check {...f} name="eligibility.employment.personnelTransferred" />
          <Check {...f} name="eligibility.employment.socialInsurance" />
        </fieldset>

        <fieldset>
          <legend>{t(lang, { zh: '基本情况', en: 'Personal facts' })}</legend>
          <div class="grid2">
            <Input {...f} name="applicant.name" required maxlength={50} autocomplete="name" />
            <Select {...f} name="applicant.gender" required options={GENDERS.map((g) => ({ value: g, text: GENDER_TEXT[g] }))} blank={CHOOSE} />
            <Select {...f} name="applicant.idType" required options={ID_TYPES.map((i) => ({ value: i, text: ID_TYPE_NAMES[i] }))} />
            <Input {...f} name="applicant.idNumber" required maxlength={40} />
            <Input {...f} name="applicant.birthMonth" type="month" hint={{ zh: '持护照等非居民身份证件的必填；持居民身份证的可不填（以号码为准）', en: 'Required with a passport or another non-resident document; with a resident ID card it comes from the number' }} />
            <Input {...f} name="applicant.education" required maxlength={50} hint={{ zh: '如：大学本科（工学学士）', en: 'e.g. 大学本科（工学学士）' }} />
            <Input {...f} name="applicant.graduation.on" type="month" required />
            <Input {...f} name="applicant.graduation.school" required maxlength={100} />
            <Input {...f} name="applicant.graduation.major" required maxlength={100} />
            <Input {...f} name="applicant.workStartedOn" type="month" required />
            <Input {...f} name="applicant.originalEmployer" required maxlength={100} />
            <Input {...f} name="applicant.originalWork" required maxlength={100} />
            <Input {...f} name="applicant.currentWork" required maxlength={100} />
            <Input {...f} name="applicant.personnelFileHolder" required maxlength={100} />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t(lang, { zh: '原职称证明（二(三)1(2)、四(三)）', en: 'Proof of the original title (二(三)1(2), 四(三))' })}</legend>
          <Check {...f} name="eligibility.onlineVerification" />
          <Input {...f} name="onlineVerificationUrl" type="url" maxlength={2000} hint={{ zh: '勾选上一项时填写，并上传查询结果截图', en: 'With the box above ticked; upload a screenshot of the result too' }} />
          <label>
            {t(lang, LABELS.originalProofUnavailable!)}
            <span class="hint">{t(lang, { zh: '确实无法提供时填写，由报送部门核实（四(三)）', en: 'Only when it truly cannot be supplied; the submitting department then verifies it (四(三))' })}</span>
            <FieldError lang={lang} name="originalProofUnavailable" error={fieldErrors.originalProofUnavailable} />
            <textarea name="originalProofUnavailable" rows={2} maxlength={500}>
              {values.originalProofUnavailable ?? ''}
            </textarea>
          </label>
        </fieldset>

        <fieldset>
          <legend>{t(lang, { zh: '主要工作经历（空白行不计）', en: 'Work history (blank rows are ignored)' })}</legend>
          {Array.from({ length: rowCount }, (_, i) => (
            <fieldset>
              <legend>{t(lang, { zh: `第${i + 1}条`, en: `Row ${i + 1}` })}</legend>
              <div class="grid2">
                {Object.entries(ROW_FIELDS).map(([field, label]) => (
                  <Input {...f} name={`workHistory.${i}.${field}`} label={label} type={field === 'from' || field === 'to' ? 'month' : 'text'} maxlength={field === 'post' ? 50 : 100} />
                ))}
              </div>
            </fieldset>
          ))}
        </fieldset>

        <label>
          {t(lang, LABELS.workSummary!)}
          <span aria-hidden="true"> *</span>
          <FieldError lang={lang} name="workSummary" error={fieldErrors.workSummary} />
          <textarea name="workSummary" rows={6} required maxlength={5000}>
            {values.workSummary ?? ''}
          </textarea>
        </label>

        <div class="actions">
          <button type="submit">{t(lang, submitText)}</button>
          <a class="button secondary" href={cancelHref}>
            {t(lang, { zh: '取消', en: 'Cancel' })}
          </a>
        </div>
      </form>
    </section>
  );
};
