/**
 * @module http/pages/records/recordView
 * One record of the 核实 log as a page: every field of attachment 2, the chosen method's details (the note
 * under attachment 2: the time, the address checked, or the contact's unit, position and number), the
 * result sentence, its place in the chain, and what it corrects or what corrected it; with the PDF
 * (attachment 2) and the evidence file to download.
 */
import type { Child, FC } from 'hono/jsx';
import { formatChineseDate } from '../../../domain/chineseDate.js';
import { resultSentence, VERIFICATION_METHOD_NAMES, VERIFICATION_RESULT_NAMES, type EvidenceRef, type MethodDetails } from '../../../domain/verificationRecord.js';
import type { VerificationRecordView } from '../../../services/verificationLog.js';
import { t, type Lang, type Text } from '../i18n.js';
import { ResultBadge } from './resultBadge.js';
import { timeOf } from './recordList.js';

export interface RecordViewProps {
  lang: Lang;
  view: VerificationRecordView;
  /** A line to show first, e.g. that the record was just kept. */
  notice?: Text | undefined;
}

const dateOf = (lang: Lang, date: string) => (lang === 'en' ? date : formatChineseDate(date));

function evidenceOf(details: MethodDetails): EvidenceRef | undefined {
  if (details.method === 'information_system') return details.informationSystem.evidence;
  if (details.method === 'letter') return details.letter.evidence;
  return undefined;
}

const Facts: FC<{ rows: [Text, Child][]; lang: Lang }> = ({ rows, lang }) => (
  <dl>
    {rows.map(([label, value]) => (
      <>
        <dt>{t(lang, label)}</dt>
        <dd>{value}</dd>
      </>
    ))}
  </dl>
);

function methodRows(lang: Lang, details: MethodDetails): [Text, Child][] {
  switch (details.method) {
    case 'information_system':
      return [
        [{ zh: '信息系统名称', en: 'Information system' }, details.informationSystem.name],
        [{ zh: '核实网址', en: 'Web address checked' }, <code>{details.informationSystem.url}</code>],
      ];
    case 'letter':
      return [
        [{ zh: '函件文号', en: 'Letter number' }, details.letter.number],
        [{ zh: '发函对象', en: 'Sent to' }, details.letter.sentTo],
        [{ zh: '发函日期', en: 'Date sent' }, dateOf(lang, details.letter.sentOn)],
        [{ zh: '复函日期', en: 'Date of the reply' }, dateOf(lang, details.letter.repliedOn)],
      ];
    case 'phone':
      return [
        [{ zh: '对方单位', en: "Contact's organisation" }, details.phone.organisation],
        [{ zh: '对方职务', en: "Contact's position" }, details.phone.position],
        [{ zh: '对方姓名', en: "Contact's name" }, details.phone.name],
        [{ zh: '对方电话号码', en: "Contact's phone number" }, details.phone.number],
        [{ zh: '通话时间', en: 'Time of the call' }, timeOf(lang, details.phone.calledAt)],
      ];
    case 'other':
      return [[{ zh: '核实方式说明', en: 'How it was checked' }, details.other.description]];
  }
}

const KIND_NAMES: Record<EvidenceRef['mediaType'], string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

export const RecordView: FC<RecordViewProps> = ({ lang, view, notice }) => {
  const r = view.record;
  const s = r.subject;
  const evidence = evidenceOf(r.details);
  return (
    <>
      {notice ? (
        <p class="notice" role="status">
          {t(lang, notice)}
        </p>
      ) : null}
      {view.supersededBy ? (
        <p class="error" role="alert">
          {t(lang, { zh: '此记录已被更正，以新记录为准：', en: 'This record was superseded; the newer record stands: ' })}
          <a href={`/console/records/${view.supersededBy}`}>{view.supersededBy}</a>
        </p>
      ) : null}
      <section>
        <h1>
          {t(lang, { zh: '核实情况记录单', en: 'Verification record' })} · {s.holderName}
        </h1>
        <p>
          <strong>{t(lang, resultSentence(r.result, s))}</strong> <ResultBadge lang={lang} result={r.result} />
        </p>
        <div class="actions">
          <a class="button" href={`/console/records/${r.id}/pdf`}>
            {t(lang, { zh: '下载记录单 PDF', en: 'Download the record (PDF)' })}
          </a>
          {evidence ? (
            <a class="button secondary" href={`/console/records/${r.id}/evidence`}>
              {t(lang, { zh: `下载证明材料（${KIND_NAMES[evidence.mediaType]}）`, en: `Download the evidence (${KIND_NAMES[evidence.mediaType]})` })}
            </a>
          ) : null}
          <a href="/console/records">{t(lang, { zh: '返回核实记录', en: 'Back to the records' })}</a>
        </div>
      </section>
      <section>
        <h2>{t(lang, { zh: '需核实职称证书情况', en: 'The certificate verified' })}</h2>
        <Facts
          lang={lang}
          rows={[
            [{ zh: '持证人', en: 'Holder' }, s.holderName],
            [{ zh: '身份证号码', en: 'ID number' }, s.idNumber],
            [{ zh: '职称（资格）名称', en: 'Title' }, s.titleName],
            [{ zh: '评审（发证）机构', en: 'Evaluating body' }, s.evaluatingBody],
            [{ zh: '取得时间', en: 'Date obtained' }, dateOf(lang, s.acquiredOn)],
            ...(s.certificateNumber ? ([[{ zh: '证书编号', en: 'Certificate number' }, s.certificateNumber]] as [Text, Child][]) : []),
            ...(r.applicationId ? ([[{ zh: '关联申请编号', en: 'Application id' }, <code>{r.applicationId}</code>]] as [Text, Child][]) : []),
          ]}
        />
      </section>
      <section>
        <h2>
          {t(lang, { zh: '核实方式：', en: 'Method: ' })}
          {t(lang, VERIFICATION_METHOD_NAMES[r.details.method])}
        </h2>
        <Facts
          lang={lang}
          rows={[
            ...methodRows(lang, r.details),
            ...(evidence
              ? ([[{ zh: '证明材料', en: 'Evidence' }, <>{t(lang, { zh: `${KIND_NAMES[evidence.mediaType]}，${evidence.bytes} 字节`, en: `${KIND_NAMES[evidence.mediaType]}, ${evidence.bytes} bytes` })}<br /><code>SHA-256 {evidence.sha256}</code></>]] as [Text, Child][])
              : []),
          ]}
        />
      </section>
      <section>
        <h2>{t(lang, { zh: '核实情况', en: 'The check' })}</h2>
        <Facts
          lang={lang}
          rows={[
            [{ zh: '核实时间', en: 'Checked at' }, timeOf(lang, r.checkedAt)],
            [{ zh: '核实结果', en: 'Result' }, <ResultBadge lang={lang} result={r.result} />],
            [{ zh: '核查记录', en: 'Record' }, r.record],
            [{ zh: '经办人', en: 'Handler' }, r.handler.name],
            [{ zh: '记录日期', en: 'Recorded on' }, dateOf(lang, r.recordedOn)],
          ]}
        />
      </section>
      <section>
        <h2>{t(lang, { zh: '核实日志', en: 'In the log' })}</h2>
        <Facts
          lang={lang}
          rows={[
            [{ zh: '记录编号', en: 'Record id' }, <code>{r.id}</code>],
            [{ zh: '序号', en: 'Sequence' }, String(r.seq)],
            [{ zh: '登记时间', en: 'Kept at' }, timeOf(lang, r.createdAt)],
            [{ zh: '链哈希', en: 'Chain hash' }, <code>{r.hash}</code>],
            [{ zh: '前一哈希', en: 'Previous hash' }, <code>{r.prevHash}</code>],
            ...(r.supersedes
              ? ([
                  [{ zh: '更正的记录', en: 'Corrects' }, <a href={`/console/records/${r.supersedes.id}`}>{r.supersedes.id}</a>],
                  [{ zh: '更正理由', en: 'Reason' }, r.supersedes.reason],
                ] as [Text, Child][])
              : []),
            [
              { zh: '被更正', en: 'Superseded by' },
              view.supersededBy ? <a href={`/console/records/${view.supersededBy}`}>{view.supersededBy}</a> : t(lang, { zh: '否', en: 'No' }),
            ],
          ]}
        />
      </section>
    </>
  );
};
