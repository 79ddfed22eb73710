/**
 * @module http/pages/desk/deskPage
 * The console's first page (issue 18 item 6): what needs this person now — the cases at their desk, those waiting
 * more than ten working days, the public notices ending this week — each a short table linking to the case, and
 * the links to everything else. Counts are in the headings; lists stop at ten, with a link to the full search.
 */
import type { FC } from 'hono/jsx';
import { LONG_WAIT_WORKING_DAYS, type Desk, type DeskCase } from '../../../services/desk.js';
import { CardTable, day, StatusBadge } from '../cases/caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';

const SHOWN = 10;

const CaseList: FC<{ lang: Lang; caption: Text; cases: DeskCase[]; more: string; empty: Text; noticeEnd?: boolean }> = ({ lang, caption, cases, more, empty, noticeEnd }) =>
  cases.length === 0 ? (
    <p>{t(lang, empty)}</p>
  ) : (
    <>
      <CardTable
        lang={lang}
        caption={caption}
        columns={[
          { zh: '编号', en: 'Number' },
          { zh: '申报人', en: 'Applicant' },
          { zh: '职称', en: 'Title' },
          { zh: '状态', en: 'Status' },
          noticeEnd ? { zh: '公示截止', en: 'Notice ends' } : { zh: '已等待', en: 'Waiting' },
        ]}
        rows={cases.slice(0, SHOWN).map(({ application: a, waitingDays }) => [
          <a href={`/console/cases/${a.id}`}>{a.id}</a>,
          a.holderName,
          a.form.eligibility.title.name,
          <StatusBadge lang={lang} status={a.status} />,
          noticeEnd && a.notice ? day(lang, a.notice.end) : t(lang, { zh: `${waitingDays} 个工作日`, en: `${waitingDays} working day${waitingDays === 1 ? '' : 's'}` }),
        ])}
      />
      {cases.length > SHOWN ? (
        <p>
          <a href={more}>{t(lang, { zh: `查看全部 ${cases.length} 件`, en: `See all ${cases.length}` })}</a>
        </p>
      ) : null}
    </>
  );

export interface DeskPageProps {
  lang: Lang;
  personName: string;
  /** Null for a person who handles no cases (an administrator, a handler without case rights). */
  desk: Desk | null;
  links: { href: string; text: Text }[];
}

export const DeskPage: FC<DeskPageProps> = ({ lang, personName, desk, links }) => (
  <>
    <h1>
      {t(lang, { zh: '工作台', en: 'Console' })} · {personName}
    </h1>
    {desk ? (
      <>
        <section aria-labelledby="desk-now">
          <h2 id="desk-now">
            {t(lang, { zh: '待我办理', en: 'Waiting for me' })} <span class="badge">{desk.atDesk.length}</span>
          </h2>
          <CaseList lang={lang} caption={{ zh: '待我办理的申请', en: 'Cases waiting for me' }} cases={desk.atDesk} more="/console/cases" empty={{ zh: '目前没有待您办理的申请。', en: 'Nothing is waiting for you.' }} />
        </section>
        {desk.waitingLong.length > 0 ? (
          <section aria-labelledby="desk-long" class="warning">
            <h2 id="desk-long">
              {t(lang, { zh: `等待超过 ${LONG_WAIT_WORKING_DAYS} 个工作日`, en: `Waiting more than ${LONG_WAIT_WORKING_DAYS} working days` })} <span class="badge">{desk.waitingLong.length}</span>
            </h2>
            <CaseList lang={lang} caption={{ zh: '等待较久的申请', en: 'Cases waiting long' }} cases={desk.waitingLong} more="/console/cases" empty={{ zh: '', en: '' }} />
          </section>
        ) : null}
        <section aria-labelledby="desk-notice">
          <h2 id="desk-notice">
            {t(lang, { zh: '本周公示期满', en: 'Notices ending this week' })} <span class="badge">{desk.noticesEndingThisWeek.length}</span>
          </h2>
          <p class="hint">{t(lang, { zh: `公示期（5 个工作日，通知二(二)2）在今天至 ${day(lang, desk.weekEnds)} 之间结束的申请。`, en: `Cases whose public notice (5 working days, notice 二(二)2) ends between today and ${day(lang, desk.weekEnds)}.` })}</p>
          <CaseList
            lang={lang}
            caption={{ zh: '本周公示期满的申请', en: 'Notices ending this week' }}
            cases={desk.noticesEndingThisWeek}
            more="/console/cases?status=public_notice&sort=notice&order=asc"
            empty={{ zh: '本周没有公示期满的申请。', en: 'No notice ends this week.' }}
            noticeEnd
          />
        </section>
      </>
    ) : null}
    <section aria-labelledby="desk-links">
      <h2 id="desk-links">{t(lang, { zh: '办理事项', en: 'What you can do' })}</h2>
      <ul>
        {links.map((l) => (
          <li>
            <a href={l.href}>{t(lang, l.text)}</a>
          </li>
        ))}
      </ul>
    </section>
  </>
);
