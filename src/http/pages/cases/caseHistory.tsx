/**
 * @module http/pages/cases/caseHistory
 * The end of a case page: the objections to the public notice and how each was resolved, and the history —
 * who, where, in which role, when, with what opinion (四(二), 四(四)).
 */
import type { FC } from 'hono/jsx';
import { MATERIAL_NAMES } from '../../../domain/materials.js';
import { isRole, ROLE_NAMES } from '../../../domain/roles.js';
import { ACTION_NAMES, STATUS_NAMES, type WorkflowAction } from '../../../domain/workflow.js';
import type { ApplicationView } from '../../../services/applications/view.js';
import { CardTable, day, when } from './caseCommon.js';
import { t, type Lang } from '../i18n.js';

const roleName = (lang: Lang, role: string) => (isRole(role) ? t(lang, ROLE_NAMES[role]) : role);
const actionName = (lang: Lang, action: string) => t(lang, ACTION_NAMES[action as WorkflowAction | 'create'] ?? { zh: action, en: action });

export const ObjectionsBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) =>
  v.objections.length === 0 ? null : (
    <section aria-labelledby="objections-heading">
      <h2 id="objections-heading">{t(lang, { zh: '公示异议', en: 'Objections' })}</h2>
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
    </section>
  );

export const HistoryBlock: FC<{ lang: Lang; view: ApplicationView }> = ({ lang, view: v }) => (
  <section aria-labelledby="history-heading">
    <h2 id="history-heading">{t(lang, { zh: '办理记录（谁确认、谁签字、谁负责）', en: 'History (who confirms, signs and answers)' })}</h2>
    <CardTable
      lang={lang}
      columns={[
        { zh: '时间', en: 'When' },
        { zh: '办理人', en: 'Who' },
        { zh: '操作', en: 'Step' },
        { zh: '意见', en: 'Opinion' },
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
      ])}
    />
  </section>
);
