/**
 * @module http/pages/cases/caseList
 * The lists of reconfirmation cases: an applicant's own, or for staff the cases waiting for their
 * organisation (待办) and every case on their route, each row linking to the case. The second list is the
 * working queue of issue 18 item 8: searched by case number, ID number or name, filtered by status, unit and
 * dates opened, sorted by any column — all in the page's address, so a search can be bookmarked or sent.
 */
import type { FC } from 'hono/jsx';
import type { Application } from '../../../domain/application.js';
import { chinaDate } from '../../../domain/chineseDate.js';
import { APPLICATION_STATUSES, STATUS_NAMES, type ApplicationStatus } from '../../../domain/workflow.js';
import { caseSearchWords, DEFAULT_CASE_SEARCH, MAX_SEARCH_TEXT, type CaseSearch, type CaseSort, type SortOrder } from '../../../domain/caseSearch.js';
import type { Message } from '../../../domain/errors.js';
import { CardTable, day, StatusBadge, type HeaderCell } from './caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';

/** One row: the case, where it is and, on notice, the working days still to run. */
export interface CaseRow {
  application: Application;
  holderName: string;
  noticeDaysLeft: number | null;
}

/** The table's columns, each with the sort key that orders by it (domain/caseSearch.ts). */
const COLUMNS: { name: Text; sort: CaseSort }[] = [
  { name: { zh: '编号', en: 'Number' }, sort: 'case' },
  { name: { zh: '申报人', en: 'Applicant' }, sort: 'applicant' },
  { name: { zh: '职称', en: 'Title' }, sort: 'title' },
  { name: { zh: '状态', en: 'Status' }, sort: 'status' },
  { name: { zh: '当前办理单位', en: 'Now with' }, sort: 'with' },
  { name: { zh: '公示剩余', en: 'Notice left' }, sort: 'notice' },
  { name: { zh: '申报日期', en: 'Opened' }, sort: 'opened' },
  { name: { zh: '更新日期', en: 'Updated' }, sort: 'updated' },
];

/** Links in the column headers that sort the list by that column, keeping the rest of the search. */
export interface Sorting {
  search: CaseSearch;
  href(sort: CaseSort, order: SortOrder): string;
}

const SORTED: Record<SortOrder, Text> = { asc: { zh: '（升序）', en: ' (ascending)' }, desc: { zh: '（降序）', en: ' (descending)' } };

function sortHeaders(lang: Lang, sorting: Sorting): HeaderCell[] {
  return COLUMNS.map(({ name, sort }) => {
    const current = sorting.search.sort === sort ? sorting.search.order : undefined;
    // A second click on the sorted column turns it round; a new column starts with what a clerk expects first.
    const next: SortOrder = current ? (current === 'asc' ? 'desc' : 'asc') : sort === 'updated' || sort === 'opened' ? 'desc' : 'asc';
    return {
      content: (
        <a href={sorting.href(sort, next)} class="sort">
          {t(lang, name)}
          {current ? <span aria-hidden="true">{current === 'asc' ? ' ▲' : ' ▼'}</span> : null}
          {current ? <span class="visually-hidden">{t(lang, SORTED[current])}</span> : null}
        </a>
      ),
      sort: current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : undefined,
    };
  });
}

export const CaseTable: FC<{ lang: Lang; caption: Text; rows: CaseRow[]; empty: Text; sorting?: Sorting | undefined }> = ({ lang, caption, rows, empty, sorting }) =>
  rows.length === 0 ? (
    <p>{t(lang, empty)}</p>
  ) : (
    <CardTable
      lang={lang}
      caption={caption}
      columns={COLUMNS.map((c) => c.name)}
      headers={sorting ? sortHeaders(lang, sorting) : undefined}
      rows={rows.map(({ application: a, holderName, noticeDaysLeft }) => [
        <a href={`/console/cases/${a.id}`}>{a.id}</a>,
        a.holderName,
        a.form.eligibility.title.name,
        <StatusBadge lang={lang} status={a.status} />,
        holderName,
        noticeDaysLeft === null ? '—' : t(lang, { zh: `${noticeDaysLeft} 个工作日`, en: `${noticeDaysLeft} working days` }),
        day(lang, chinaDate(new Date(a.createdAt))),
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
  search: CaseSearch;
  /** What in the search could not be read, and was left out of it. */
  problems: Message[];
  /** The organisations whose cases the person may search (their own and those below it), by code. */
  organisations: { code: string; name: string }[];
}

/** `/console/cases` with this search and page, the defaults left out: the address of what is on screen. */
export function casesHref(search: CaseSearch, page = 1): string {
  const words = new URLSearchParams({ ...caseSearchWords(search), ...(page > 1 ? { page: String(page) } : {}) }).toString();
  return words ? `/console/cases?${words}` : '/console/cases';
}

export const CaseListPage: FC<CaseListPageProps> = (p) => {
  const { lang, search } = p;
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const allHeading = p.applicantView ? { zh: '我的申请', en: 'My applications' } : { zh: '经办范围内的全部申请', en: 'All applications on your route' };
  const searching = Object.keys(caseSearchWords({ ...search, sort: DEFAULT_CASE_SEARCH.sort, order: DEFAULT_CASE_SEARCH.order })).length > 0;
  const sorting: Sorting = { search, href: (sort, order) => casesHref({ ...search, sort, order }) };
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
          {t(lang, searching ? { zh: '检索结果', en: 'Search results' } : allHeading)} <span class="badge">{p.total}</span>
        </h2>
        <form class="filter" method="get" action="/console/cases" role="search">
          <div>
            <label for="filter-q">{t(lang, { zh: '申请编号、身份证号或申报人姓名', en: 'Case number, ID number or applicant’s name' })}</label>
            <input id="filter-q" name="q" type="search" maxlength={MAX_SEARCH_TEXT} value={search.text?.value ?? ''} autocomplete="off" />
          </div>
          <div>
            <label for="filter-status">{t(lang, { zh: '状态', en: 'Status' })}</label>
            <select id="filter-status" name="status">
              <option value="">{t(lang, { zh: '全部', en: 'All' })}</option>
              {APPLICATION_STATUSES.map((s) => (
                <option value={s} selected={search.status === s}>
                  {t(lang, STATUS_NAMES[s])}
                </option>
              ))}
            </select>
          </div>
          {p.organisations.length > 1 ? (
            <div>
              <label for="filter-org">{t(lang, { zh: '申报单位（含下级）', en: 'Unit (and those below it)' })}</label>
              <select id="filter-org" name="org">
                <option value="">{t(lang, { zh: '全部', en: 'All' })}</option>
                {p.organisations.map((o) => (
                  <option value={o.code} selected={search.org === o.code}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div>
            <label for="filter-from">{t(lang, { zh: '申报日期自', en: 'Opened from' })}</label>
            <input id="filter-from" name="from" type="date" value={search.from ?? ''} />
          </div>
          <div>
            <label for="filter-to">{t(lang, { zh: '至', en: 'to' })}</label>
            <input id="filter-to" name="to" type="date" value={search.to ?? ''} />
          </div>
          {/* The column headers sort too; on a phone they are folded into each row, so the form says it as well. */}
          <div>
            <label for="filter-sort">{t(lang, { zh: '排序依据', en: 'Sort by' })}</label>
            <select id="filter-sort" name="sort">
              {COLUMNS.map((c) => (
                <option value={c.sort} selected={search.sort === c.sort}>
                  {t(lang, c.name)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-order">{t(lang, { zh: '顺序', en: 'Order' })}</label>
            <select id="filter-order" name="order">
              <option value="desc" selected={search.order === 'desc'}>
                {t(lang, { zh: '降序（新→旧，Z→A）', en: 'Descending (newest first, Z–A)' })}
              </option>
              <option value="asc" selected={search.order === 'asc'}>
                {t(lang, { zh: '升序（旧→新，A→Z）', en: 'Ascending (oldest first, A–Z)' })}
              </option>
            </select>
          </div>
          <button type="submit" class="secondary">
            {t(lang, { zh: '检索', en: 'Search' })}
          </button>
          {searching ? <a href="/console/cases">{t(lang, { zh: '清除条件', en: 'Clear' })}</a> : null}
        </form>
        {p.problems.length > 0 ? (
          <div class="error" role="alert">
            <ul>
              {p.problems.map((m) => (
                <li>{t(lang, m)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <CaseTable
          lang={lang}
          caption={allHeading}
          rows={p.all}
          sorting={sorting}
          empty={searching ? { zh: '没有符合条件的申请。身份证号须输入完整的 18 位。', en: 'No application matches. An ID number must be typed in full (18 characters).' } : { zh: '没有申请。', en: 'No applications.' }}
        />
        {pages > 1 ? (
          <nav class="pager" aria-label={t(lang, { zh: '分页', en: 'Pages' })}>
            {p.page > 1 ? <a href={casesHref(search, p.page - 1)}>{t(lang, { zh: '上一页', en: 'Previous' })}</a> : null}
            <span>{t(lang, { zh: `第 ${p.page} / ${pages} 页`, en: `Page ${p.page} of ${pages}` })}</span>
            {p.page < pages ? <a href={casesHref(search, p.page + 1)}>{t(lang, { zh: '下一页', en: 'Next' })}</a> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
};
