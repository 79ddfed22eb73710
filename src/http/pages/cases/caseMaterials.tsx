/**
 * @module http/pages/cases/caseMaterials
 * The materials part of a case page (二(三), 四(三)): the checklist and who supplies each item, what the unit
 * and the forwarding offices recorded they checked, the linked verification records and the uploaded files.
 */
import type { FC } from 'hono/jsx';
import { describeChecks } from '../../../domain/checks.js';
import { chinaDateOf } from '../../../domain/chineseDate.js';
import { VERIFICATION_METHOD_NAMES, VERIFICATION_RESULT_NAMES, type VerificationMethod, type VerificationResult } from '../../../domain/verificationRecord.js';
import { MATERIAL_NAMES, suppliedBy } from '../../../domain/materials.js';
import type { ApplicationView } from '../../../services/applications/view.js';
import { CardTable, day, Fold, when } from './caseCommon.js';
import { t, type Lang } from '../i18n.js';
import { ResultBadge } from '../records/resultBadge.js';

/** What the unit and the forwarding offices recorded they checked (二(三)1(2), 二(三)1(3), 二(四)). */
const RecordedChecksBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) => {
  const lines = describeChecks(v.checks, lang, (iso) => day(lang, iso));
  return (
    <>
      <h3>{t(lang, { zh: '审核记录（核对原件、社保缴纳核实、平台受理）', en: 'Recorded checks (originals, social insurance, platform acceptance)' })}</h3>
      {lines.length === 0 ? (
        <p>{t(lang, { zh: '尚无记录。', en: 'Nothing recorded yet.' })}</p>
      ) : (
        <ul class="checks">
          {lines.map((line) => (
            <li>
              <strong>{line.label}</strong>
              {lang === 'zh' ? '：' : ': '}
              {line.text}
            </li>
          ))}
        </ul>
      )}
    </>
  );
};

export const MaterialsBlock: FC<{ lang: Lang; view: ApplicationView; mayRecord?: boolean }> = ({ lang, view: v, mayRecord = false }) => {
  const uploader = new Map(v.events.filter((e) => e.action === 'upload_material').map((e) => [String(e.data.materialId), e]));
  return (
    <section aria-labelledby="materials-heading">
      <h2 id="materials-heading">{t(lang, { zh: '材料（二(三)、四(三)）', en: 'Materials (二(三), 四(三))' })}</h2>
      {/* A required item still missing is someone's to supply (二(三)): the checklist stays open. */}
      <Fold lang={lang} level={3} title={{ zh: '材料清单', en: 'Checklist' }} count={v.checklist.length} noun={{ zh: '项', one: 'item', many: 'items' }} mustAct={v.checklist.some((m) => m.required && !m.waived && !m.satisfied)}>
        <CardTable
          lang={lang}
          caption={{ zh: '材料清单', en: 'Checklist' }}
          columns={[
            { zh: '材料', en: 'Item' },
            { zh: '依据', en: 'Clause' },
            { zh: '提供方', en: 'Supplied by' },
            { zh: '情况', en: 'State' },
          ]}
          rows={v.checklist.map((m) => [
            <>
              {t(lang, MATERIAL_NAMES[m.item] ?? { zh: m.item, en: m.item })}
              {m.note ? <span class="hint">{t(lang, m.note)}</span> : null}
              {m.checkedAgainstOriginal ? (
                <span class="hint ok">
                  {t(lang, {
                    zh: `✓ 单位已审核原件，注明与原件相符（${m.checkedAgainstOriginal.personName}，${day(lang, chinaDateOf(m.checkedAgainstOriginal.at))}）`,
                    en: `✓ The unit checked the copies against the originals (${m.checkedAgainstOriginal.personName}, ${day(lang, chinaDateOf(m.checkedAgainstOriginal.at))})`,
                  })}
                </span>
              ) : null}
            </>,
            m.clause,
            // 二(三)1 the applicant's items, 二(三)2 the unit's and the department's: theirs is never the applicant's 缺少.
            t(lang, suppliedBy(m.item) === 'department' ? { zh: '单位或主管部门（二(三)2）', en: 'The unit or department (二(三)2)' } : { zh: '申报人（二(三)1）', en: 'The applicant (二(三)1)' }),
            m.waived ? (
              <span class="na">{t(lang, { zh: '免于提供', en: 'Waived' })}</span>
            ) : !m.required ? (
              <span class="na">{t(lang, { zh: '非必需', en: 'Optional' })}</span>
            ) : m.satisfied ? (
              <span class="ok">✓ {t(lang, { zh: '已齐备', en: 'In place' })}</span>
            ) : suppliedBy(m.item) === 'department' ? (
              <span class="na">{t(lang, m.item === 'verification_record' ? { zh: '待报送部门核实后填写', en: 'The submitting department verifies and records it' } : { zh: '待单位或主管部门提供', en: 'To come from the unit or department' })}</span>
            ) : (
              <span class="fail">✗ {t(lang, { zh: '缺少', en: 'Missing' })}</span>
            ),
          ])}
        />
      </Fold>
      <RecordedChecksBlock lang={lang} view={v} />
      {/* A standing record that finds the title not genuine, or that disagrees with the case, is for the reviewer to weigh (四(三)): open. */}
      <Fold
        lang={lang}
        level={3}
        title={{ zh: '核实情况记录单（四(三)）', en: 'Verification records (四(三))' }}
        count={v.verificationRecords.length}
        noun={{ zh: '份', one: 'record', many: 'records' }}
        mustAct={v.verificationRecords.some((r) => r.supersededBy === null && (r.result !== 'genuine' || r.disagreements.length > 0))}
      >
        {mayRecord ? (
          <p>
            <a href={`/console/records/new?case=${encodeURIComponent(v.id)}`}>{t(lang, { zh: '为本申请登记核实记录（已填好申报人和职称）', en: 'Record a verification for this case (applicant and title filled in)' })}</a>
          </p>
        ) : null}
        {v.verificationRecords.length === 0 ? (
          <p>{t(lang, { zh: '尚无关联的核实记录。', en: 'No verification record is linked to the case yet.' })}</p>
        ) : (
          <CardTable
            lang={lang}
            columns={[
              { zh: '记录', en: 'Record' },
              { zh: '核实方式', en: 'Method' },
              { zh: '核实结果', en: 'Result' },
              { zh: '核实时间', en: 'Checked at' },
              { zh: '经办人', en: 'Handler' },
            ]}
            rows={v.verificationRecords.map((r) => [
              <>
                {r.id} <span class="badge">{r.orgCode}</span>
                {r.supersededBy ? <span class="na"> {t(lang, { zh: `（已被 ${r.supersededBy} 更正）`, en: ` (corrected by ${r.supersededBy})` })}</span> : null}
                {r.disagreements.map((d) => (
                  <div class="fail">{t(lang, d.message)}{t(lang, { zh: '，不计入本申请的核实记录（四(三)）', en: '; it does not count for this case (四(三))' })}</div>
                ))}
              </>,
              t(lang, VERIFICATION_METHOD_NAMES[r.method as VerificationMethod] ?? { zh: r.method, en: r.method }),
              r.result in VERIFICATION_RESULT_NAMES ? <ResultBadge lang={lang} result={r.result as VerificationResult} /> : r.result,
              when(lang, r.checkedAt),
              r.handlerName,
            ])}
          />
        )}
        <p>
          {t(lang, {
            zh: `其中现行有效、结论为真实有效且与申请的职称名称、评审机构、取得时间一致的：${v.genuineVerificationRecords} 份`,
            en: `Of these, standing, finding the title genuine and agreeing with the case on title, evaluating body and date: ${v.genuineVerificationRecords}`,
          })}
        </p>
      </Fold>
      <Fold lang={lang} level={3} title={{ zh: '已上传的文件', en: 'Uploaded files' }} count={v.materials.length} noun={{ zh: '个', one: 'file', many: 'files' }}>
        {v.materials.length === 0 ? (
          <p>{t(lang, { zh: '尚未上传材料。', en: 'No files yet.' })}</p>
        ) : (
          <CardTable
            lang={lang}
            columns={[
              { zh: '材料', en: 'Item' },
              { zh: '文件', en: 'File' },
              { zh: '上传', en: 'Uploaded' },
              { zh: 'SHA-256', en: 'SHA-256' },
            ]}
            rows={v.materials.map((m) => {
              const by = uploader.get(m.id);
              return [
                t(lang, MATERIAL_NAMES[m.item] ?? { zh: m.item, en: m.item }),
                <>
                  <a href={`/console/cases/${v.id}/materials/${m.id}`} download={m.filename}>
                    {m.filename}
                  </a>
                  <span class="hint">
                    {m.mediaType}，{Math.ceil(m.size / 1024)} KiB
                  </span>
                </>,
                <>
                  {when(lang, m.uploadedAt)}
                  <span class="hint">{by ? `${by.person.name}（${by.org.name}）` : m.orgCode}</span>
                </>,
                <code title={m.sha256}>{m.sha256.slice(0, 12)}…</code>,
              ];
            })}
          />
        )}
      </Fold>
    </section>
  );
};
