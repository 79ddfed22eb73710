/**
 * @module http/pages/records/recordForm
 * Attachment 2 (核实情况记录单) as a web form for a handler (notice 四(三)): the certificate checked, the
 * method with the details the note under attachment 2 asks for, the time, the result, the record and the
 * handler. Inputs are named by the request's JSON paths (`phone.number`), so every error's `field` — from
 * the schema, the domain or the service — finds its input. Works without JavaScript: CSS shows the chosen
 * method's fields; the server names whatever is missing.
 */
import type { FC } from 'hono/jsx';
import type { DomainError } from '../../../domain/errors.js';
import { EVIDENCE_MAX_BYTES } from '../../../domain/evidence.js';
import {
  missingDetails,
  missingRecordFields,
  VERIFICATION_METHOD_NAMES,
  VERIFICATION_METHODS,
  VERIFICATION_RESULT_NAMES,
  VERIFICATION_RESULTS,
  type MissingDetail,
  type VerificationMethod,
  type VerificationRequest,
} from '../../../domain/verificationRecord.js';
import { VerificationRecordRequestSchema } from '../../schemas.js';
import type { FieldError } from '../../problem.js';
import { problemFromZod } from '../../zodProblem.js';
import { t, type Lang, type Text } from '../i18n.js';
import { Errors } from '../layout.js';

/** What the person typed, by input name, kept to fill the form again after an error. */
export type RecordFormValues = Record<string, string>;

/** One thing wrong with the form: the input it belongs to (a request path), if any, and what is wrong. */
export interface RecordFormError {
  field: string | undefined;
  message: Text;
}

/** The form's labels, in the order of the form (and of its error list). */
export const RECORD_FORM_LABELS: Record<string, Text> = {
  'subject.holderName': { zh: '持证人姓名', en: "Holder's name" },
  'subject.idNumber': { zh: '身份证号码', en: 'ID number' },
  'subject.titleName': { zh: '职称（资格）名称', en: 'Title (qualification) name' },
  'subject.evaluatingBody': { zh: '评审（发证）机构', en: 'Evaluating body' },
  'subject.acquiredOn': { zh: '取得时间', en: 'Date obtained' },
  'subject.certificateNumber': { zh: '证书编号', en: 'Certificate number' },
  applicationId: { zh: '关联申请编号', en: 'Application id' },
  method: { zh: '核实方式', en: 'Method' },
  'informationSystem.name': { zh: '信息系统名称', en: 'Information system' },
  'informationSystem.url': { zh: '核实网址', en: 'Web address checked' },
  'informationSystem.evidence': { zh: '核实结果截图', en: 'Screenshot of the result' },
  'letter.number': { zh: '函件文号', en: 'Letter number' },
  'letter.sentTo': { zh: '发函对象（单位）', en: 'Sent to (organisation)' },
  'letter.sentOn': { zh: '发函日期', en: 'Date sent' },
  'letter.repliedOn': { zh: '复函日期', en: 'Date of the reply' },
  'letter.evidence': { zh: '复函扫描件', en: 'Scan of the reply' },
  'phone.organisation': { zh: '对方单位', en: "Contact's organisation" },
  'phone.position': { zh: '对方职务', en: "Contact's position" },
  'phone.name': { zh: '对方姓名', en: "Contact's name" },
  'phone.number': { zh: '对方电话号码', en: "Contact's phone number" },
  'phone.calledAt': { zh: '通话时间', en: 'Time of the call' },
  'other.description': { zh: '核实方式说明', en: 'How it was checked' },
  checkedAt: { zh: '核实时间', en: 'Time of the check' },
  result: { zh: '核实结果', en: 'Result' },
  record: { zh: '核实情况记录', en: 'Record of the check' },
  'handler.name': { zh: '经办人姓名', en: "Handler's name" },
};
const FIELD_ORDER = Object.keys(RECORD_FORM_LABELS);

/** The evidence input of each method that carries one. */
const EVIDENCE_FIELD: Partial<Record<VerificationMethod, string>> = { information_system: 'informationSystem.evidence', letter: 'letter.evidence' };
/** Text areas: their line breaks become spaces, since the record keeps one line of printable text. */
const MULTILINE = new Set(['record', 'other.description']);
const CHINA_LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A datetime-local value read as China time (the notice's only zone), in the API's spelling. */
function chinaInstant(value: string | undefined): string | undefined {
  if (!value || !CHINA_LOCAL_TIME.test(value)) return value;
  return `${value}${value.length === 16 ? ':00' : ''}+08:00`;
}

async function dataUrlOf(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short for a 5 MiB file.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${file.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}

/**
 * The request the form stands for — in the API's shape, blanks left out, only the chosen method's details,
 * times in China time, a file as the `data:` URL the service checks — and the values to show again.
 * @example const { request, values } = await readRecordForm(await readForm(c));
 */
export async function readRecordForm(body: Record<string, string | File | (string | File)[]>): Promise<{ request: Record<string, unknown>; values: RecordFormValues }> {
  const values: RecordFormValues = {};
  const files: Record<string, File> = {};
  for (const [name, value] of Object.entries(body)) {
    const one = Array.isArray(value) ? value[0] : value;
    if (typeof one === 'string') values[name] = one;
    else if (one && one.size > 0) {
      files[name] = one;
      values[name] = one.name; // shown, never sent back: a browser cannot fill a file input
    }
  }
  const text = (name: string): string | undefined => {
    const v = values[name]?.trim();
    if (!v) return undefined;
    return MULTILINE.has(name) ? v.replace(/\s*[\r\n]+\s*/g, ' ') : v;
  };
  const method = (VERIFICATION_METHODS as readonly string[]).includes(values.method ?? '') ? (values.method as VerificationMethod) : undefined;
  const evidenceField = method ? EVIDENCE_FIELD[method] : undefined;
  const evidence = evidenceField && files[evidenceField] ? await dataUrlOf(files[evidenceField]) : undefined;
  const details: Record<string, unknown> = {};
  switch (method) {
    case 'information_system':
      details.informationSystem = { name: text('informationSystem.name'), url: text('informationSystem.url'), evidence };
      break;
    case 'letter':
      details.letter = { number: text('letter.number'), sentTo: text('letter.sentTo'), sentOn: text('letter.sentOn'), repliedOn: text('letter.repliedOn'), evidence };
      break;
    case 'phone':
      details.phone = {
        organisation: text('phone.organisation'),
        position: text('phone.position'),
        name: text('phone.name'),
        number: text('phone.number'),
        calledAt: chinaInstant(text('phone.calledAt')),
      };
      break;
    case 'other':
      details.other = { description: text('other.description') };
      break;
  }
  const request = {
    subject: {
      holderName: text('subject.holderName'),
      idNumber: text('subject.idNumber'),
      titleName: text('subject.titleName'),
      evaluatingBody: text('subject.evaluatingBody'),
      acquiredOn: text('subject.acquiredOn'),
      certificateNumber: text('subject.certificateNumber'),
    },
    method,
    ...details,
    checkedAt: chinaInstant(text('checkedAt')),
    result: (VERIFICATION_RESULTS as readonly string[]).includes(values.result ?? '') ? values.result : undefined,
    record: text('record'),
    handler: { name: text('handler.name') },
    applicationId: text('applicationId'),
  };
  // JSON has no undefined: drop the blanks, as a client of the API would.
  return { request: JSON.parse(JSON.stringify(request)) as Record<string, unknown>, values };
}

/**
 * The errors in the order of the form, one per input (the first said wins). The domain's and service's
 * messages name their input already ("缺少对方电话号码"); one that starts with a JSON path gets the label instead.
 */
function orderErrors(errors: RecordFormError[]): RecordFormError[] {
  const byField = new Map<string, RecordFormError>();
  const loose: RecordFormError[] = [];
  for (const { field, message } of errors) {
    if (!field || !RECORD_FORM_LABELS[field]) loose.push({ field, message });
    else if (!byField.has(field)) byField.set(field, { field, message: message.zh.startsWith(field) ? withLabel(field, RECORD_FORM_LABELS[field]!, message) : message });
  }
  return [...FIELD_ORDER.flatMap((f) => byField.get(f) ?? []), ...loose];
}

/**
 * A message led by its input's label, the JSON path it may start with dropped.
 * @example withLabel('phone.number', { zh: '对方电话号码', en: "Contact's phone number" }, { zh: '缺少必填字段', en: 'Required field is missing' })
 * // { zh: '对方电话号码：缺少必填字段', en: "Contact's phone number: Required field is missing" }
 */
export function withLabel(field: string, label: Text, message: Text): Text {
  const strip = (m: string) => (m.startsWith(field) ? m.slice(field.length).replace(/^[：:\s]+/, '') : m);
  return { zh: `${label.zh}：${strip(message.zh)}`, en: `${label.en}: ${strip(message.en)}` };
}

/**
 * The form's request checked as the API checks it — the request schema, then what the record and its
 * method still lack (domain missingRecordFields, missingDetails) — all errors at once, in form order.
 * @example const { request, errors } = checkRecordRequest(raw); // errors: [] → request is the API's shape
 */
export function checkRecordRequest(raw: Record<string, unknown>): { request?: VerificationRequest; errors: RecordFormError[] } {
  const parsed = VerificationRecordRequestSchema.safeParse(raw);
  const missing = [
    ...missingRecordFields(raw as Partial<VerificationRequest>),
    ...(raw.method ? missingDetails(raw as unknown as VerificationRequest) : [{ field: 'method', message: { zh: '缺少核实方式（请选择一种）', en: 'the method is required: choose one (method)' } }]),
  ];
  // The domain's words first ("缺少对方电话号码"): they say what is missing better than a schema's "required".
  const errors = orderErrors([
    ...missing,
    ...(parsed.success ? [] : (problemFromZod(parsed.error).errors ?? []).map(schemaError)),
  ]);
  return errors.length === 0 && parsed.success ? { request: parsed.data, errors } : { errors };
}

/** The schema's words ("缺少必填字段", "过长") need the input's label to make sense in the list. */
function schemaError(error: FieldError): RecordFormError {
  const label = RECORD_FORM_LABELS[error.field];
  return { field: error.field, message: label ? withLabel(error.field, label, error.message) : error.message };
}

/** A refusal of the service as form errors: each missing detail it names, or its one message. */
export function serviceErrors(error: DomainError): RecordFormError[] {
  const problems = error.details?.problems;
  if (Array.isArray(problems) && problems.length > 0) return orderErrors(problems as MissingDetail[]);
  return orderErrors([{ field: error.field, message: { zh: error.zh, en: error.en } }]);
}

export interface RecordFormProps {
  lang: Lang;
  csrf: string;
  /** Sent with the form so a second click or a retry returns the record the first one made. */
  idempotencyKey: string;
  values: RecordFormValues;
  errors: RecordFormError[];
  /** The open cases this person may link the record to, offered as they type (issue 18 item 9: pick, not type). */
  cases?: { id: string; label: string }[] | undefined;
}

interface FieldProps {
  name: string;
  type?: string;
  /** Required whatever the method (`required`), or only when its method is chosen (`data-required`). */
  need?: 'always' | 'method' | 'optional';
  hint?: Text;
  multiline?: boolean;
  extra?: Record<string, string | number | boolean>;
}

const idOf = (name: string) => `f-${name.replace(/\./g, '-')}`;

/** The whole form, filled with `values` and showing `errors` at the top and beside each input. */
export const RecordForm: FC<RecordFormProps> = ({ lang, csrf, idempotencyKey, values, errors, cases = [] }) => {
  const errorOf = new Map(errors.filter((e) => e.field).map((e) => [e.field!, e.message]));

  const Label: FC<{ name: string; need: FieldProps['need'] }> = ({ name, need }) => (
    <>
      {t(lang, RECORD_FORM_LABELS[name]!)}
      {need === 'optional' ? t(lang, { zh: '（选填）', en: ' (optional)' }) : <span aria-hidden="true"> *</span>}
    </>
  );
  const Problem: FC<{ name: string }> = ({ name }) => {
    const message = errorOf.get(name);
    return message ? (
      <span class="fail" id={`${idOf(name)}-error`}>
        {t(lang, message)}
      </span>
    ) : null;
  };
  const described = (name: string, hint: boolean) => [hint ? `${idOf(name)}-hint` : '', errorOf.has(name) ? `${idOf(name)}-error` : ''].filter(Boolean).join(' ') || undefined;

  const Field: FC<FieldProps> = ({ name, type = 'text', need = 'always', hint, multiline, extra = {} }) => {
    const attributes = {
      id: idOf(name),
      name,
      required: need === 'always',
      'data-required': need === 'method' ? '' : undefined,
      'aria-invalid': errorOf.has(name) ? 'true' : undefined,
      'aria-describedby': described(name, Boolean(hint)),
      ...extra,
    };
    return (
      <label>
        <Label name={name} need={need} />
        {hint ? (
          <span class="hint" id={`${idOf(name)}-hint`}>
            {t(lang, hint)}
          </span>
        ) : null}
        {multiline ? <textarea rows={5} {...attributes}>{values[name] ?? ''}</textarea> : <input type={type} value={type === 'file' ? undefined : (values[name] ?? '')} {...attributes} />}
        <Problem name={name} />
      </label>
    );
  };

  const fileHint = (name: string): Text => {
    const given = values[name];
    const base = { zh: `PDF、JPEG 或 PNG，不超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB`, en: `PDF, JPEG or PNG, at most ${EVIDENCE_MAX_BYTES / 1024 / 1024} MiB` };
    return given ? { zh: `${base.zh}。已选的“${given}”未保存，请重新选择。`, en: `${base.en}. “${given}” was not kept: choose it again.` } : base;
  };
  const evidence = { accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png' };

  const Choices: FC<{ name: 'method' | 'result'; options: readonly string[]; names: Record<string, Text> }> = ({ name, options, names }) => (
    <fieldset aria-describedby={errorOf.has(name) ? `${idOf(name)}-error` : undefined}>
      <legend>
        <Label name={name} need="always" />
      </legend>
      {options.map((option) => (
        <label>
          <input type="radio" id={`${name}-${option}`} name={name} value={option} required checked={values[name] === option} />
          {t(lang, names[option]!)}
        </label>
      ))}
      <Problem name={name} />
    </fieldset>
  );

  return (
    <form class="stack" method="post" action="/console/records/new" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Errors lang={lang} errors={errors.map((e) => e.message)} />
      <p class="hint">{t(lang, { zh: '带 * 的为必填项；所选核实方式下的各项均须填写。', en: 'Fields marked * are required, as is every field of the chosen method.' })}</p>

      <fieldset>
        <legend>{t(lang, { zh: '需核实职称证书情况', en: 'The certificate to verify' })}</legend>
        <div class="grid2">
          <Field name="subject.holderName" extra={{ maxlength: 50, autocomplete: 'off' }} />
          <Field name="subject.idNumber" hint={{ zh: '居民身份证 18 位；其他证件填证件号码', en: '18 characters for a resident ID card; otherwise the document number' }} extra={{ maxlength: 40, autocomplete: 'off' }} />
          <Field name="subject.titleName" hint={{ zh: '如：高级工程师', en: 'e.g. 高级工程师 (senior engineer)' }} extra={{ maxlength: 50 }} />
          <Field name="subject.evaluatingBody" hint={{ zh: '评审委员会或发证机构全称', en: 'Full name of the committee or issuing body' }} extra={{ maxlength: 100 }} />
          <Field name="subject.acquiredOn" type="date" />
          <Field name="subject.certificateNumber" need="optional" extra={{ maxlength: 64 }} />
          <Field
            name="applicationId"
            need="optional"
            hint={cases.length > 0 ? { zh: '为某一重新确认申请核实时填写：输入申报人姓名或申请编号，从列出的申请中选择', en: 'When the check is for a reconfirmation application: type the applicant’s name or the case number and pick it from the list' } : { zh: '为某一重新确认申请核实时填写', en: 'When the check is for a reconfirmation application' }}
            extra={cases.length > 0 ? { maxlength: 64, list: 'open-cases', autocomplete: 'off' } : { maxlength: 64 }}
          />
          {cases.length > 0 ? (
            <datalist id="open-cases">
              {cases.map((c) => (
                <option value={c.id}>{c.label}</option>
              ))}
            </datalist>
          ) : null}
        </div>
      </fieldset>

      <Choices name="method" options={VERIFICATION_METHODS} names={VERIFICATION_METHOD_NAMES} />

      <fieldset class="method-fields method-information_system">
        <legend>{t(lang, { zh: '信息系统核实', en: 'Checked in an information system' })}</legend>
        <Field name="informationSystem.name" need="method" hint={{ zh: '如：全国专业技术人员职称查询系统', en: 'e.g. the national title lookup system' }} extra={{ maxlength: 100 }} />
        <Field name="informationSystem.url" type="url" need="method" hint={{ zh: '核实时访问的网址（http:// 或 https://）', en: 'The address visited (http:// or https://)' }} extra={{ maxlength: 2000 }} />
        <Field name="informationSystem.evidence" type="file" need="method" hint={fileHint('informationSystem.evidence')} extra={evidence} />
      </fieldset>
      <fieldset class="method-fields method-letter">
        <legend>{t(lang, { zh: '发函核实', en: 'Checked by official letter' })}</legend>
        <Field name="letter.number" need="method" extra={{ maxlength: 64 }} />
        <Field name="letter.sentTo" need="method" extra={{ maxlength: 100 }} />
        <div class="grid2">
          <Field name="letter.sentOn" type="date" need="method" />
          <Field name="letter.repliedOn" type="date" need="method" />
        </div>
        <Field name="letter.evidence" type="file" need="method" hint={fileHint('letter.evidence')} extra={evidence} />
      </fieldset>
      <fieldset class="method-fields method-phone">
        <legend>{t(lang, { zh: '电话核实', en: 'Checked by phone' })}</legend>
        <div class="grid2">
          <Field name="phone.organisation" need="method" extra={{ maxlength: 100 }} />
          <Field name="phone.position" need="method" extra={{ maxlength: 50 }} />
          <Field name="phone.name" need="method" extra={{ maxlength: 50 }} />
          <Field name="phone.number" type="tel" need="method" hint={{ zh: '数字、+、-、括号或空格', en: 'Digits, +, -, brackets or spaces' }} extra={{ maxlength: 30 }} />
          <Field name="phone.calledAt" type="datetime-local" need="method" hint={{ zh: '北京时间', en: 'China time (UTC+8)' }} />
        </div>
      </fieldset>
      <fieldset class="method-fields method-other">
        <legend>{t(lang, { zh: '其他方式核实', en: 'Checked another way' })}</legend>
        <Field name="other.description" need="method" multiline hint={{ zh: '说明以何种方式核实', en: 'Say how the title was checked' }} extra={{ maxlength: 1000 }} />
      </fieldset>

      <fieldset>
        <legend>{t(lang, { zh: '核实情况', en: 'The check' })}</legend>
        <Field name="checkedAt" type="datetime-local" hint={{ zh: '北京时间', en: 'China time (UTC+8)' }} />
        <Choices name="result" options={VERIFICATION_RESULTS} names={VERIFICATION_RESULT_NAMES} />
        <Field name="record" multiline hint={{ zh: '记录核实经过与结论；换行将合并为空格', en: 'What was checked and found; line breaks become spaces' }} extra={{ maxlength: 2000 }} />
      </fieldset>

      <Field name="handler.name" hint={{ zh: '经办人签字处打印的姓名', en: 'Printed where the handler signs' }} extra={{ maxlength: 50 }} />

      <div class="actions">
        <button type="submit">{t(lang, { zh: '提交登记', en: 'Record it' })}</button>
        <a class="button secondary" href="/console/records">
          {t(lang, { zh: '取消', en: 'Cancel' })}
        </a>
      </div>
    </form>
  );
};
