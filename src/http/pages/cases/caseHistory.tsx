/**
 * @module http/pages/cases/caseHistory
 * The end of a case page: the objections to the public notice and how each was resolved, and the history —
 * who, where, in which role, when, with what opinion (四(二), 四(四)), and each organisation's electronic seal on
 * its step, checked; where the history and the sealed statements part, the page says so first.
 */
import type { FC } from 'hono/jsx';
import { MATERIAL_NAMES } from '../../../domain/materials.js';
import { isRole, ROLE_NAMES } from '../../../domain/roles.js';
import { ACTION_NAMES, STATUS_NAMES, type WorkflowAction } from '../../../domain/workflow.js';
import type { ApplicationView } from '../../../services/applications/view.js';
import type { CaseStatements, StatementView } from '../../../services/caseStatements.js';
import { CardTable, day, Fold, when } from './caseCommon.js';
import { t, type Lang } from '../i18n.js';

const roleName = (lang: Lang, role: string) => (isRole(role) ? t(lang, ROLE_NAMES[role]) : role);
const actionName = (lang: Lang, action: string) => t(lang, ACTION_NAMES[action as WorkflowAction | 'create'] ?? { zh: action, en: action });

export const ObjectionsBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) =>
  v.objections.length === 0 ? null : (
    <section aria-labelledby="objections-heading">
      {/* An objection not yet resolved is what the authority must act on (四(二)): it keeps the list open. */}
      <Fold lang={lang} level={2} id="objections-heading" title={{ zh: '公示异议', en: 'Objections' }} count={v.objections.length} noun={{ zh: '件', one: 'objection', many: 'objections' }} mustAct={v.objections.some((o) => !o.resolution)}>
        <ul>
          {v.objections.map((o) => (
            <li>
              <strong>{day(lang, o.receivedOn)}</strong>：{o.text}
              <br />
              {o.resolution ? (
                <span class={o.resolution.upheld ? 'fail' : 'ok'}>
                  {t(lang, o.resolution.upheld ? { zh: '异议成立', en: 'Upheld' } : { zh: '异议不成立', en: 'Not upheld' })}（{when(lang, o.resolution.at)}）：{o.resolution.text}
                </span>
              ) : (
                <span class="fail">{t(lang, { zh: '尚未处理', en: 'Not resolved yet' })}</span>
              )}
            </li>
          ))}
        </ul>
      </Fold>
    </section>
  );

/** The organisation's electronic seal on one step (四(二) 加盖单位公章): checked, missing, or failing and why. */
const SealCell: FC<{ lang: Lang; statement: StatementView | undefined }> = ({ lang, statement: s }) => {
  if (!s) return null;
  if (!s.sealed) return <span class="hint">{t(lang, { zh: '未加盖电子印章', en: 'No electronic seal' })}</span>;
  if (s.sealValid && s.seal) {
    return (
      <span class="ok">
        ✓ {t(lang, { zh: `${s.seal.name}电子印章，已验证`, en: `Sealed by ${s.seal.name}, verified` })}
        {s.seal.uscc ? <span class="hint">{t(lang, { zh: `统一社会信用代码 ${s.seal.uscc}`, en: `USCC ${s.seal.uscc}` })}</span> : null}
      </span>
    );
  }
  return <span class="fail">✗ {t(lang, { zh: '印章无效：', en: 'Seal invalid: ' })}{s.sealProblem ? t(lang, s.sealProblem) : ''}</span>;
};

export const HistoryBlock: FC<{ lang: Lang; view: ApplicationView; statements?: CaseStatements | undefined }> = ({ lang, view: v, statements }) => (
  <section aria-labelledby="history-heading">
    <Fold
      lang={lang}
      level={2}
      id="history-heading"
      title={{ zh: '办理记录（谁确认、谁签字、谁负责）', en: 'History (who confirms, signs and answers)' }}
      count={v.events.length}
      noun={{ zh: '条', one: 'entry', many: 'entries' }}
      mustAct={statements !== undefined && !statements.intact}
    >
      {statements && !statements.intact ? (
        <div class="error" role="alert">
          <p>
            <strong>{t(lang, { zh: '办理记录与各单位签章的声明不一致，可能被改动：', en: 'The history differs from what the organisations sealed; it may have been altered:' })}</strong>
          </p>
          <ul>
            {statements.problems.map((problem) => (
              <li>{t(lang, problem.message)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <CardTable
        lang={lang}
        columns={[
          { zh: '时间', en: 'When' },
          { zh: '办理人', en: 'Who' },
          { zh: '操作', en: 'Step' },
          { zh: '意见', en: 'Opinion' },
          { zh: '单位印章', en: 'Seal' },
        ]}
        rows={v.events.map((e) => [
          when(lang, e.at),
          <>
            {e.person.name}
            <span class="hint">
              {e.org.name} · {roleName(lang, e.role)}
            </span>
          </>,
          <>
            {actionName(lang, e.action)}
            {e.action === 'upload_material' && typeof e.data.item === 'string' ? `：${t(lang, MATERIAL_NAMES[e.data.item] ?? { zh: e.data.item, en: e.data.item })}` : ''}
            {e.fromStatus !== e.toStatus ? <span class="hint">→ {t(lang, STATUS_NAMES[e.toStatus])}</span> : null}
          </>,
          <span class="prewrap">{e.opinion ?? ''}</span>,
          <SealCell lang={lang} statement={statements?.statements.find((s) => s.seq === e.seq)} />,
        ])}
      />
    </Fold>
  </section>
);
