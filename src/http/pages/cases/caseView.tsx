/**
 * @module http/pages/cases/caseView
 * One reconfirmation case as a reviewer needs it: where it stands and with whom, the public notice, the
 * decision and certificate, the applicant's facts, eligibility with its clauses (一), the materials
 * checklist (二(三), 四(三)), objections, and the history — who, where, in which role, when, with what
 * opinion (四(二), 四(四)). The forms of the steps this person may take come below (http/pages/caseSteps).
 */
import type { CertificateStatus } from '../../../domain/certificate.js';
import { CERTIFICATE_STATE_NAMES } from '../../../domain/certificateState.js';
import type { Child, FC } from 'hono/jsx';
import { BAN_CASE_NOTE } from '../../../domain/ban.js';
import { formatCertificateNumber } from '../../../domain/certificateNumber.js';
import { formatChineseMonth } from '../../../domain/chineseDate.js';
import { findSeries } from '../../../domain/catalog.js';
import type { RevocationReason } from '../../../domain/certificate.js';
import { REVOCATION_REASON_NAMES } from '../../../domain/certificate.js';
import { BASIS_KIND_NAMES, type CertificateBasis } from '../../../domain/certificateBasis.js';
import { ID_TYPE_NAMES } from '../../../domain/idDocument.js';
import { LEVEL_NAMES } from '../../../domain/levels.js';
import { STATUS_NAMES } from '../../../domain/workflow.js';
import type { ApplicationView } from '../../../services/applications/view.js';
import { Errors } from '../layout.js';
import { HistoryBlock, ObjectionsBlock } from './caseHistory.js';
import type { CaseStatements } from '../../../services/caseStatements.js';
import { MaterialsBlock } from './caseMaterials.js';
import { STEP_BUTTON_NAMES, type StepSlug } from './caseSteps.js';
import { CardTable, day, DECISION_NAMES, DoneNotice, EMPLOYER_CHOICE_NAMES, EMPLOYER_KIND_NAMES, Fold, GENDER_TEXT, METHOD_NAMES, REGION_NAMES, StatusBadge, when } from './caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';

/** The certificate of an issued case, as its readers may see it. */
export interface CaseCertificate {
  number: string;
  status: CertificateStatus;
  /** The QR link with its proof: the holder's and the authority's to hand out. */
  verifyUrl: string;
  revocation?: { at: string; reason: RevocationReason; note: string } | undefined;
  /** What the certificate records as its basis (issue 13 item 6): this case, when issued from it. */
  basis?: CertificateBasis | undefined;
}

/** The certificate's recorded basis in words: this case (the link both ways), another basis, or 未记录. */
function basisOnCase(lang: Lang, caseId: string, basis: CertificateBasis | undefined): string {
  if (!basis) return t(lang, BASIS_KIND_NAMES.unrecorded);
  if (basis.kind === 'case') {
    return basis.caseId === caseId ? t(lang, { zh: '本案（职称重新确认案件）', en: 'This reconfirmation case' }) : t(lang, { zh: `另一案件 ${basis.caseId}`, en: `Another case, ${basis.caseId}` });
  }
  const on = day(lang, basis.decidedOn);
  return t(lang, { zh: `${BASIS_KIND_NAMES.decision.zh}：${basis.decisionNumber}（${on}）`, en: `${BASIS_KIND_NAMES.decision.en}: ${basis.decisionNumber} (${on})` });
}

export interface CasePageProps {
  lang: Lang;
  view: ApplicationView;
  /** Today in China (the request's clock). */
  today: string;
  certificate: CaseCertificate | undefined;
  done: Text | undefined;
  errors: Text[];
  /** Where the refused form is, for the error's link. */
  errorAnchor: string | undefined;
  mayEdit: boolean;
  /** May record a 核实 record (a handler): the records section links to the form, the case filled in. */
  mayRecord?: boolean;
  /** Whether this person has a step to take (the forms in `steps`). */
  /** The steps open to this person now, in the order the forms come: each a button at the top to its form (issue 18 item 9). */
  openSteps: readonly StepSlug[];
  steps: Child;
  /** The organisations' sealed statements on the case, checked (issue 16). */
  statements?: CaseStatements | undefined;
}

const YES = { zh: '是', en: 'Yes' };
const NO = { zh: '否', en: 'No' };
const paren = (lang: Lang, text: string) => (lang === 'zh' ? `（${text}）` : ` (${text})`);
const yesNo = (lang: Lang, value: boolean) => t(lang, value ? YES : NO);
const month = (lang: Lang, ym: string) => (lang === 'zh' && /^\d{4}-\d{2}$/.test(ym) ? formatChineseMonth(ym) : ym);

const Fact: FC<{ label: Text; lang: Lang; children?: Child }> = ({ label, lang, children }) => (
  <>
    <dt>{t(lang, label)}</dt>
    <dd>{children}</dd>
  </>
);

const Summary: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) => (
  <dl class="facts">
    <Fact lang={lang} label={{ zh: '当前办理单位', en: 'Now with' }}>
      {v.holder.name}
      {paren(lang, v.holder.code)}
    </Fact>
    <Fact lang={lang} label={{ zh: '申报人', en: 'Applicant' }}>
      {v.holderName}
    </Fact>
    <Fact lang={lang} label={{ zh: '职称', en: 'Title' }}>
      {v.form.eligibility.title.name}
      {paren(lang, t(lang, LEVEL_NAMES[v.level]))}
    </Fact>
    <Fact lang={lang} label={{ zh: '申报单位', en: 'Unit' }}>
      {v.unit.name}
    </Fact>
    <Fact lang={lang} label={{ zh: '确认部门', en: 'Confirming authority' }}>
      {v.authority.name}
    </Fact>
    <Fact lang={lang} label={{ zh: '填报时间', en: 'Created' }}>
      {when(lang, v.createdAt)}
    </Fact>
    <Fact lang={lang} label={{ zh: '最近办理', en: 'Last step' }}>
      {when(lang, v.updatedAt)}
    </Fact>
  </dl>
);

/** 四(一): the applicant's five-year bans, for every reviewer to weigh; the service refuses nothing for them. */
const BansBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) =>
  v.bans.length === 0 ? null : (
    <section aria-labelledby="bans-heading">
      <h2 id="bans-heading">{t(lang, { zh: '申报晋升职称禁止情况（四(一)）', en: 'Barred from title promotion (四(一))' })}</h2>
      <ul>
        {v.bans.map((b) => (
          <li class={b.inForce ? 'error' : undefined}>
            {t(lang, b.message)}
            {t(lang, b.inForce ? { zh: '（今日在禁止期内）', en: ' (running today)' } : { zh: '（今日不在禁止期内）', en: ' (not running today)' })}
            {b.certificateNumber ? paren(lang, formatCertificateNumber(b.certificateNumber)) : null}
            {b.note ? <span class="hint">{b.note}</span> : null}
          </li>
        ))}
      </ul>
      <p>{t(lang, BAN_CASE_NOTE)}</p>
    </section>
  );

const NoticeBlock: FC<{ lang: Lang; view: ApplicationView; today: string }> = ({ lang, view: v, today }) => {
  const n = v.notice;
  if (!n) return null;
  return (
    <section aria-labelledby="notice-heading">
      <h2 id="notice-heading">{t(lang, { zh: '单位公示（5个工作日，二(二)2）', en: 'Public notice at the unit (5 working days, 二(二)2)' })}</h2>
      <dl class="facts">
        <Fact lang={lang} label={{ zh: '公示期', en: 'Notice period' }}>
          {day(lang, n.start)} — {day(lang, n.end)}
        </Fact>
        {v.noticeDaysLeft !== null ? (
          <Fact lang={lang} label={{ zh: '剩余', en: 'Left' }}>
            {today < n.start
              ? t(lang, { zh: `尚未开始，共 ${v.noticeDaysLeft} 个工作日`, en: `Not started yet; ${v.noticeDaysLeft} working days` })
              : v.noticeDaysLeft > 0
                ? t(lang, { zh: `${v.noticeDaysLeft} 个工作日（含今天）`, en: `${v.noticeDaysLeft} working days (today included)` })
                : t(lang, { zh: '公示期已满，可签署单位意见', en: 'The notice has run; the unit may endorse' })}
          </Fact>
        ) : null}
      </dl>
      {n.provisional ? (
        <p class="error">
          {t(lang, { zh: '公示期所涉年度的放假安排（全国节假日或“壮族三月三”）尚未公布，截止日只是推算，公布后将重新计算。', en: 'A holiday arrangement of the period (the national schedule or 壮族三月三) is not announced yet: the end is provisional and will be recomputed once it is.' })}
        </p>
      ) : null}
    </section>
  );
};

const DecisionBlock: FC<{ lang: Lang; view: ApplicationView; certificate: CaseCertificate | undefined }> = ({ lang, view: v, certificate: c }) => (
  <section aria-labelledby="documents-heading">
    <h2 id="documents-heading">{t(lang, { zh: '审批表、决定与证书', en: 'Approval form, decision and certificate' })}</h2>
    <ul>
      <li>
        <a href={`/console/cases/${v.id}/form.pdf`}>{t(lang, { zh: '下载职称重新确认审批表（附件1，PDF）', en: 'Download the approval form (attachment 1, PDF)' })}</a>
      </li>
    </ul>
    {v.decision ? (
      <dl class="facts">
        <Fact lang={lang} label={{ zh: '确认文号', en: 'Decision number' }}>
          {v.decision.number}
        </Fact>
        <Fact lang={lang} label={{ zh: '发文日期', en: 'Decided on' }}>
          {day(lang, v.decision.decidedOn)}
        </Fact>
      </dl>
    ) : null}
    {c ? (
      <>
        <dl class="facts">
          <Fact lang={lang} label={{ zh: '证书编号', en: 'Certificate number' }}>
            {formatCertificateNumber(c.number)}
          </Fact>
          <Fact lang={lang} label={{ zh: '证书状态', en: 'Certificate status' }}>
            <span class={c.status === 'valid' ? 'ok' : 'fail'}>{c.status === 'valid' ? t(lang, CERTIFICATE_STATE_NAMES.valid) : t(lang, CERTIFICATE_STATE_NAMES[c.status])}</span>
          </Fact>
          <Fact lang={lang} label={{ zh: '签发依据', en: 'Basis of issuance' }}>
            {basisOnCase(lang, v.id, c.basis)}
          </Fact>
          {c.revocation ? (
            <Fact lang={lang} label={{ zh: '撤销', en: 'Revocation' }}>
              {when(lang, c.revocation.at)}，{t(lang, REVOCATION_REASON_NAMES[c.revocation.reason])}
              {c.revocation.note ? `：${c.revocation.note}` : ''}
            </Fact>
          ) : null}
        </dl>
        <ul>
          <li>
            <a href={`/console/cases/${v.id}/certificate.pdf`}>{t(lang, { zh: '下载职称电子证书（PDF）', en: 'Download the e-certificate (PDF)' })}</a>
          </li>
          <li>
            <a href={c.verifyUrl} rel="noreferrer">
              {t(lang, { zh: '公开核验页面（证书二维码链接）', en: 'Public verification page (the QR link)' })}
            </a>
          </li>
        </ul>
      </>
    ) : null}
  </section>
);

const EligibilityBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) => {
  const e = v.eligibility;
  return (
    <section aria-labelledby="eligibility-heading">
      <h2 id="eligibility-heading">{t(lang, { zh: '资格条件（一）', en: 'Eligibility (一)' })}</h2>
      <p>
        <strong>{t(lang, DECISION_NAMES[e.decision])}</strong>
      </p>
      {v.employerChoiceRecord ? (
        <p>
          {t(lang, { zh: '新用人单位的决定：', en: "The new employer's choice: " })}
          <strong>{t(lang, EMPLOYER_CHOICE_NAMES[v.employerChoiceRecord.choice])}</strong> <span class="badge">一(一)</span>
          {t(lang, { zh: `（${v.employerChoiceRecord.org.name} ${v.employerChoiceRecord.person.name} 记录于 `, en: ` (recorded by ${v.employerChoiceRecord.person.name}, ${v.employerChoiceRecord.org.name}, ` })}
          {when(lang, v.employerChoiceRecord.at)}
          {t(lang, { zh: '）', en: ')' })}
        </p>
      ) : null}
      {v.inPrincipleException ? (
        <div class="card" id="in-principle-exception">
          <p>
            <strong>{t(lang, { zh: '确认部门例外确认', en: 'Accepted by the confirming authority as an exception' })}</strong> <span class="badge">{v.inPrincipleException.clause}</span>
          </p>
          <p>{v.inPrincipleException.reason}</p>
          <p class="hint">
            {v.inPrincipleException.org.name} {v.inPrincipleException.person.name} · {when(lang, v.inPrincipleException.at)}
          </p>
        </div>
      ) : null}
      <ul class="checks">
        {e.reasons.map((r) => (
          <li>
            {t(lang, r.message)} <span class="badge">{r.clause}</span>
          </li>
        ))}
      </ul>
      {e.authority ? (
        <p>
          {t(lang, { zh: '确认部门：', en: 'Confirming authority: ' })}
          {t(lang, e.authority)} <span class="badge">{e.authority.clause}</span>
        </p>
      ) : null}
      {e.submitters.length > 0 ? (
        <p>
          {t(lang, { zh: '报送部门：', en: 'Submitted by: ' })}
          {e.submitters.map((s) => t(lang, s)).join(t(lang, { zh: '、', en: ', ' }))} <span class="badge">二(二)3</span>
        </p>
      ) : null}
    </section>
  );
};

const FactsBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) => {
  const { applicant: a, eligibility: el } = v.form;
  const series = (code: string) => {
    const s = findSeries(code);
    return s ? t(lang, { zh: s.name, en: s.nameEn }) : code;
  };
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t(lang, { zh: '申报人填报的情况（附件1）', en: "The applicant's facts (attachment 1)" })}</h2>
      <dl class="facts">
        <Fact lang={lang} label={{ zh: '姓名', en: 'Name' }}>{a.name}</Fact>
        <Fact lang={lang} label={{ zh: '性别', en: 'Gender' }}>{t(lang, GENDER_TEXT[a.gender])}</Fact>
        <Fact lang={lang} label={{ zh: '证件', en: 'ID document' }}>
          {t(lang, ID_TYPE_NAMES[a.idType])} {v.idNumber}
        </Fact>
        <Fact lang={lang} label={{ zh: '最高学历（学位）', en: 'Education' }}>{a.education}</Fact>
        <Fact lang={lang} label={{ zh: '毕业', en: 'Graduated' }}>
          {month(lang, a.graduation.on)} {a.graduation.school} {a.graduation.major}
        </Fact>
        <Fact lang={lang} label={{ zh: '参加工作时间', en: 'Started work' }}>{month(lang, a.workStartedOn)}</Fact>
        <Fact lang={lang} label={{ zh: '原区外工作单位', en: 'Former employer' }}>{a.originalEmployer}</Fact>
        <Fact lang={lang} label={{ zh: '原从事专业技术工作', en: 'Former work' }}>{a.originalWork}</Fact>
        <Fact lang={lang} label={{ zh: '现从事专业技术工作', en: 'Current work' }}>{a.currentWork}</Fact>
        <Fact lang={lang} label={{ zh: '人事档案存放单位', en: 'Personnel file held by' }}>{a.personnelFileHolder}</Fact>
        <Fact lang={lang} label={{ zh: '原职称系列', en: 'Original series' }}>{series(el.title.series)}</Fact>
        <Fact lang={lang} label={{ zh: '原职称名称', en: 'Original title' }}>{el.title.name}</Fact>
        <Fact lang={lang} label={{ zh: '专业', en: 'Specialty' }}>{v.form.specialty}</Fact>
        <Fact lang={lang} label={{ zh: '取得', en: 'Obtained' }}>
          {t(lang, REGION_NAMES[el.obtained.region])}
          {el.obtained.place ? `（${el.obtained.place}）` : ''}，{t(lang, METHOD_NAMES[el.obtained.method])}，{day(lang, el.obtained.on)}
        </Fact>
        <Fact lang={lang} label={{ zh: '评委会（批准机关）', en: 'Committee' }}>
          {el.obtained.committee ? `${el.obtained.committee.name}（${t(lang, el.obtained.committee.filed ? { zh: '已备案', en: 'filed' } : { zh: '未备案', en: 'not filed' })}）` : '—'}
        </Fact>
        {el.obtained.committee?.onlineQueryUrl ? (
          <Fact lang={lang} label={{ zh: '评委会备案在线查询网址（二(三)1(5)）', en: 'Online check of the committee’s filing (二(三)1(5))' }}>
            {el.obtained.committee.onlineQueryUrl}
          </Fact>
        ) : null}
        <Fact lang={lang} label={{ zh: '原证书编号', en: 'Original certificate number' }}>{v.form.originalCertificateNumber ?? '—'}</Fact>
        <Fact lang={lang} label={{ zh: '在我区劳动关系起始', en: 'In Guangxi since' }}>{day(lang, el.employment.since)}</Fact>
        <Fact lang={lang} label={{ zh: '人事关系已转入 / 参加社保', en: 'Personnel moved / social insurance' }}>
          {yesNo(lang, el.employment.personnelTransferred)} / {yesNo(lang, el.employment.socialInsurance)}
        </Fact>
        <Fact lang={lang} label={{ zh: '现单位性质 / 现从事系列', en: 'Employer / current series' }}>
          {t(lang, EMPLOYER_KIND_NAMES[el.employment.employerKind])} / {series(el.employment.currentSeries)}
        </Fact>
        <Fact lang={lang} label={{ zh: '网上核验网址', en: 'Online verification' }}>
          {v.form.onlineVerificationUrl ?? '—'}
        </Fact>
        {v.form.originalProofUnavailable ? (
          <Fact lang={lang} label={{ zh: '原职称证明无法提供的原因', en: 'Why the original proof is unavailable' }}>
            {v.form.originalProofUnavailable}
          </Fact>
        ) : null}
      </dl>
      <Fold lang={lang} level={3} title={{ zh: '主要工作经历', en: 'Work history' }} count={v.form.workHistory.length} noun={{ zh: '段', one: 'period', many: 'periods' }}>
        <CardTable
          lang={lang}
          columns={[
            { zh: '起止年月', en: 'Period' },
            { zh: '在何地、何单位', en: 'Where' },
            { zh: '从事何种专业技术工作', en: 'Work' },
            { zh: '任何职务', en: 'Post' },
          ]}
          rows={v.form.workHistory.map((w) => [`${month(lang, w.from)} — ${w.to ? month(lang, w.to) : t(lang, { zh: '至今', en: 'now' })}`, w.place, w.work, w.post])}
        />
      </Fold>
      <h3>{t(lang, { zh: '进入现单位以来工作总结', en: 'Work summary' })}</h3>
      <p class="prewrap">{v.form.workSummary}</p>
    </section>
  );
};

/** The whole case page body. */
export const CasePage: FC<CasePageProps> = (p) => {
  const { lang, view: v } = p;
  return (
    <>
      <h1>
        {t(lang, { zh: '重新确认申请', en: 'Reconfirmation' })} {v.id}
      </h1>
      <DoneNotice lang={lang} text={p.done} />
      {p.errors.length > 0 ? (
        <>
          <Errors lang={lang} errors={p.errors} />
          {p.errorAnchor ? (
            <p>
              <a href={`#${p.errorAnchor}`}>{t(lang, { zh: '转到填写的表单', en: 'Go to the form' })}</a>
            </p>
          ) : null}
        </>
      ) : null}
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">
          {v.holderName} · {v.form.eligibility.title.name} <StatusBadge lang={lang} status={v.status} />
        </h2>
        <Summary lang={lang} view={v} />
        {v.returned ? (
          <p class="error">
            {t(lang, { zh: `已退回至“${STATUS_NAMES[v.returned.to].zh}”：`, en: `Returned to "${STATUS_NAMES[v.returned.to].en}": ` })}
            {v.returned.reason}
          </p>
        ) : null}
        {p.mayEdit || p.openSteps.length > 0 ? (
          <p class="actions">
            {p.openSteps.length > 0 ? <span>{t(lang, { zh: '去办理：', en: 'Take a step: ' })}</span> : null}
            {p.openSteps.map((slug) => (
              <a class="button" href={`#step-${slug}`}>
                {t(lang, STEP_BUTTON_NAMES[slug])}
              </a>
            ))}
            {p.mayEdit ? (
              <a class="button secondary" href={`/console/cases/${v.id}/edit`}>
                {t(lang, { zh: '修改申请', en: 'Edit the application' })}
              </a>
            ) : null}
          </p>
        ) : null}
      </section>
      <BansBlock lang={lang} view={v} />
      <NoticeBlock lang={lang} view={v} today={p.today} />
      <DecisionBlock lang={lang} view={v} certificate={p.certificate} />
      <EligibilityBlock lang={lang} view={v} />
      <FactsBlock lang={lang} view={v} />
      <MaterialsBlock lang={lang} view={v} mayRecord={p.mayRecord ?? false} />
      <ObjectionsBlock lang={lang} view={v} />
      <HistoryBlock lang={lang} view={v} statements={p.statements} />
      {p.steps}
    </>
  );
};
