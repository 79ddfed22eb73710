/**
 * @module http/pages/cases/caseList
 * The lists of reconfirmation cases: an applicant's own, or for staff the cases waiting for their
 * organisation (待办) and every case on their route, each row linking to the case.
 */
import type { FC } from 'hono/jsx';
import type { Application } from '../../../domain/application.js';
import { chinaDate } from '../../../domain/chineseDate.js';
import { APPLICATION_STATUSES, STATUS_NAMES, type ApplicationStatus } from '../../../domain/workflow.js';
import { CardTable, day, StatusBadge } from './caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';

/** One row: the case, where it is and, on notice, the working days still to run. */
export interface CaseRow {
  application: Application;
  holderName: string;
  noticeDaysLeft: number | null;
}

export const CaseTable: FC<{ lang: Lang; caption: Text; rows: CaseRow[]; empty: Text }> = ({ lang, caption, rows, empty }) =>
  rows.length === 0 ? (
    <p>{t(lang, empty)}</p>
  ) : (
    <CardTable
      lang={lang}
      caption={caption}
      columns={[
        { zh: '编号', en: 'Number' },
        { zh: '申报人', en: 'Applicant' },
        { zh: '职称', en: 'Title' },
        { zh: '状态', en: 'Status' },
        { zh: '当前办理单位', en: 'Now with' },
        { zh: '公示剩余', en: 'Notice left' },
        { zh: '更新日期', en: 'Updated' },
      ]}
      rows={rows.map(({ application: a, holderName, noticeDaysLeft }) => [
        <a href={`/console/cases/${a.id}`}>{a.id}</a>,
        a.holderName,
        a.form.eligibility.title.name,
        <StatusBadge lang={lang} status={a.status} />,
        holderName,
        noticeDaysLeft === null ? '—' : t(lang, { zh: `${noticeDaysLeft} 个工作日`, en: `${noticeDaysLeft} working days` }),
        day(lang, chinaDate(new Date(a.updatedAt))),
      ])}
    />
  );

export interface CaseListPageProps {
  lang: Lang;
  applicantView: boolean;
  mayApply: boolean;
  queue: CaseRow[];
  all: CaseRow[];
  total: number;
  page: number;
  pageSize: number;
  status: ApplicationStatus | undefined;
}

export const CaseListPage: FC<CaseListPageProps> = (p) => {
  const { lang } = p;
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const link = (page: number) => `/console/cases?${new URLSearchParams({ ...(p.status ? { status: p.status } : {}), page: String(page) }).toString()}`;
  const allHeading = p.applicantView ? { zh: '我的申请', en: 'My applications' } : { zh: '经办范围内的全部申请', en: 'All applications on your route' };
  return (
    <>
      <h1>{t(lang, { zh: '职称重新确认申请', en: 'Reconfirmation applications' })}</h1>
      {p.mayApply ? (
        <p class="actions">
          <a class="button" href="/console/cases/new">
            {t(lang, { zh: '填报新申请', en: 'New application' })}
          </a>
        </p>
      ) : null}
      {p.applicantView ? null : (
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            {t(lang, { zh: '待办', en: 'Waiting for you' })} <span class="badge">{p.queue.length}</span>
          </h2>
          <CaseTable lang={lang} caption={{ zh: '待本单位办理的申请', en: 'Cases waiting for your organisation' }} rows={p.queue} empty={{ zh: '目前没有待本单位办理的申请。', en: 'Nothing is waiting for your organisation.' }} />
        </section>
      )}
      <section aria-labelledby="all-heading">
        <h2 id="all-heading">
          {t(lang, allHeading)} <span class="badge">{p.total}</span>
        </h2>
        <form class="filter" method="get" action="/console/cases">
          <div>
            <label for="filter-status">{t(lang, { zh: '按状态筛选', en: 'Filter by status' })}</label>
            <select id="filter-status" name="status">
              <option value="">{t(lang, { zh: '全部', en: 'All' })}</option>
              {APPLICATION_STATUSES.map((s) => (
                <option value={s} selected={p.status === s}>
                  {t(lang, STATUS_NAMES[s])}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {t(lang, { zh: '筛选', en: 'Filter' })}
          </button>
        </form>
        <CaseTable lang={lang} caption={allHeading} rows={p.all} empty={{ zh: '没有申请。', en: 'No applications.' }} />
        {pages > 1 ? (
          <nav class="pager" aria-label={t(lang, { zh: '分页', en: 'Pages' })}>
            {p.page > 1 ? <a href={link(p.page - 1)}>{t(lang, { zh: '上一页', en: 'Previous' })}</a> : null}
            <span>{t(lang, { zh: `第 ${p.page} / ${pages} 页`, en: `Page ${p.page} of ${pages}` })}</span>
            {p.page < pages ? <a href={link(p.page + 1)}>{t(lang, { zh: '下一页', en: 'Next' })}</a> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
};
