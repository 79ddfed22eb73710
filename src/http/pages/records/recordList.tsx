/**
 * @module http/pages/records/recordList
 * The 核实 log of one organisation as a page: a search form (GET, the API's filters: holder, ID number,
 * result, method, dates of the check), a page of records newest first, each linking to the record, and
 * the CSV of the same filter.
 */
import type { FC } from 'hono/jsx';
import { formatChinaTime } from '../../../domain/chineseDate.js';
import { VERIFICATION_METHOD_NAMES, VERIFICATION_METHODS, VERIFICATION_RESULT_NAMES, VERIFICATION_RESULTS } from '../../../domain/verificationRecord.js';
import type { VerificationRecordView } from '../../../services/verificationLog.js';
import { t, type Lang, type Text } from '../i18n.js';
import { ResultBadge } from './resultBadge.js';
import { Errors } from '../layout.js';

/** The list's filters as typed in the search form (blank = any). */
export interface RecordFilters {
  holder: string;
  idNumber: string;
  result: string;
  method: string;
  from: string;
  to: string;
}

export const FILTER_NAMES = ['holder', 'idNumber', 'result', 'method', 'from', 'to'] as const satisfies readonly (keyof RecordFilters)[];

/** The search form's labels, also leading the messages about a filter. */
export const FILTER_LABELS: Record<keyof RecordFilters, Text> = {
  holder: { zh: '持证人姓名', en: "Holder's name" },
  idNumber: { zh: '身份证号码', en: 'ID number' },
  result: { zh: '核实结果', en: 'Result' },
  method: { zh: '核实方式', en: 'Method' },
  from: { zh: '核实日期自', en: 'Checked from' },
  to: { zh: '核实日期至', en: 'Checked until' },
};

/** The query string of the filters that are set, e.g. `holder=李四&result=genuine`. */
export function filterQuery(filters: RecordFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name]) params.set(name, filters[name]);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

/** A moment as the page's language writes it, in China time. */
export function timeOf(lang: Lang, instant: string): string {
  return formatChinaTime(instant, lang);
}

export interface RecordListProps {
  lang: Lang;
  filters: RecordFilters;
  errors: Text[];
  page: { items: VerificationRecordView[]; total: number; page: number; pageSize: number };
  /** Handlers get the link to a new record; auditors only read. */
  canCreate: boolean;
  /** 四(一), 四(四): the ban register's download — in full for auditors, masked for other staff, absent for a role that may not read bans. */
  banRegister: 'full' | 'masked' | null;
}

const Select: FC<{ lang: Lang; name: 'result' | 'method'; value: string; options: readonly string[]; names: Record<string, Text> }> = ({ lang, name, value, options, names }) => (
  <label>
    {t(lang, FILTER_LABELS[name])}
    <select name={name}>
      <option value="" selected={value === ''}>
        {t(lang, { zh: '全部', en: 'Any' })}
      </option>
      {options.map((o) => (
        <option value={o} selected={value === o}>
          {t(lang, names[o]!)}
        </option>
      ))}
    </select>
  </label>
);

export const RecordList: FC<RecordListProps> = ({ lang, filters, errors, page, canCreate, banRegister }) => {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const filtered = FILTER_NAMES.some((n) => filters[n]);
  const csv = `/console/records.csv${filterQuery(filters) ? `?${filterQuery(filters)}` : ''}`;
  const pageLink = (n: number) => `/console/records?${filterQuery(filters, { page: String(n) })}`;
  return (
    <>
      <section>
        <h1>{t(lang, { zh: '核实记录', en: 'Verification records' })}</h1>
        <p>{t(lang, { zh: '当原件无法提供时，报送部门核实后填写的核实情况记录单（附件2，通知四(三)）。记录只增不改，更正以新记录取代原记录。', en: 'Attachment 2, filled in when a submitting department verified a title whose original proof could not be supplied (notice 四(三)). Records are never changed: a correction supersedes the earlier one.' })}</p>
        <div class="actions">
          {canCreate ? (
            <a class="button" href="/console/records/new">
              {t(lang, { zh: '登记核实情况', en: 'Record a verification' })}
            </a>
          ) : null}
          {errors.length === 0 ? (
            <a class="button secondary" href={csv}>
              {t(lang, { zh: filtered ? '下载筛选结果 CSV' : '下载全部 CSV', en: filtered ? 'Download these as CSV' : 'Download all as CSV' })}
            </a>
          ) : null}
          {banRegister ? (
            <a class="button secondary" href="/console/bans.csv">
              {t(
                lang,
                banRegister === 'full'
                  ? { zh: '下载申报晋升职称禁止名单 CSV（四(一)）', en: 'Download who may not apply for a title promotion, CSV (四(一))' }
                  : { zh: '下载申报晋升职称禁止名单 CSV（四(一)；姓名、身份证号码已部分隐藏，不含说明）', en: 'Download who may not apply for a title promotion, CSV (四(一); names and ID numbers partly hidden, no notes)' },
              )}
            </a>
          ) : null}
        </div>
      </section>
      <section>
        <h2>{t(lang, { zh: '查询', en: 'Search' })}</h2>
        <Errors lang={lang} errors={errors} />
        <form class="stack" method="get" action="/console/records" role="search">
          <div class="grid2">
            <label>
              {t(lang, FILTER_LABELS.holder)}
              <input name="holder" value={filters.holder} maxlength={50} autocomplete="off" />
            </label>
            <label>
              {t(lang, FILTER_LABELS.idNumber)}
              <input name="idNumber" value={filters.idNumber} maxlength={40} autocomplete="off" />
            </label>
            <Select lang={lang} name="result" value={filters.result} options={VERIFICATION_RESULTS} names={VERIFICATION_RESULT_NAMES} />
            <Select lang={lang} name="method" value={filters.method} options={VERIFICATION_METHODS} names={VERIFICATION_METHOD_NAMES} />
            <label>
              {t(lang, FILTER_LABELS.from)}
              <input type="date" name="from" value={filters.from} />
            </label>
            <label>
              {t(lang, FILTER_LABELS.to)}
              <input type="date" name="to" value={filters.to} />
            </label>
          </div>
          <div class="actions">
            <button type="submit">{t(lang, { zh: '查询', en: 'Search' })}</button>
            {filtered ? <a href="/console/records">{t(lang, { zh: '清除条件', en: 'Clear' })}</a> : null}
          </div>
        </form>
      </section>
      <section>
        <h2>
          {t(lang, { zh: `共 ${page.total} 条`, en: `${page.total} record${page.total === 1 ? '' : 's'}` })}
          {pages > 1 ? t(lang, { zh: `（第 ${page.page}/${pages} 页）`, en: ` (page ${page.page} of ${pages})` }) : null}
        </h2>
        {page.items.length === 0 ? (
          <p>{t(lang, filtered ? { zh: '没有符合条件的核实记录。', en: 'No record matches.' } : { zh: '还没有核实记录。', en: 'No records yet.' })}</p>
        ) : (
          <div class="table-wrap">
            {/* Two columns of short lines: on a 390 px phone the table fits without breaking a name. */}
            <table>
              <thead>
                <tr>
                  <th scope="col">{t(lang, { zh: '持证人', en: 'Holder' })}</th>
                  <th scope="col">{t(lang, { zh: '核实', en: 'Check' })}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map(({ record: r, supersededBy }) => (
                  <tr>
                    <td>
                      <a href={`/console/records/${r.id}`}>{r.subject.holderName}</a> <ResultBadge lang={lang} result={r.result} />
                      {supersededBy ? <> <span class="badge">{t(lang, { zh: '已更正', en: 'Superseded' })}</span></> : null}
                      <br />
                      {r.subject.idNumber}
                      <br />
                      {r.subject.titleName}
                    </td>
                    <td>
                      {t(lang, VERIFICATION_METHOD_NAMES[r.details.method])}
                      <br />
                      {timeOf(lang, r.checkedAt)}
                      <br />
                      {t(lang, { zh: '经办人 ', en: 'by ' })}
                      {r.handler.name}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 ? (
          <nav class="actions" aria-label={t(lang, { zh: '分页', en: 'Pages' })}>
            {page.page > 1 ? <a href={pageLink(page.page - 1)}>{t(lang, { zh: '上一页', en: 'Previous' })}</a> : null}
            {page.page < pages ? <a href={pageLink(page.page + 1)}>{t(lang, { zh: '下一页', en: 'Next' })}</a> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
};
