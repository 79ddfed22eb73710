/**
 * @module http/pages/stats/statisticsPage
 * `/console/statistics`: an office's work in figures (issue 18 item 7) — each figure a chart drawn on the server
 * (barChart.tsx) with its numbers in a table beside it and a CSV download, for a range of China dates kept in
 * the address.
 */
import type { FC } from 'hono/jsx';
import { REVOCATION_REASON_NAMES, type RevocationReason } from '../../../domain/certificate.js';
import { LEVEL_NAMES, type Level } from '../../../domain/levels.js';
import { VERIFICATION_METHOD_NAMES, VERIFICATION_RESULT_NAMES, type VerificationMethod, type VerificationResult } from '../../../domain/verificationRecord.js';
import type { Message } from '../../../domain/errors.js';
import type { OfficeStatistics } from '../../../services/statistics.js';
import { CardTable } from '../cases/caseCommon.js';
import { t, type Lang, type Text } from '../i18n.js';
import { BarChart } from './barChart.js';

/** The figures the page draws and the CSV downloads name. */
export const FIGURES = ['issued', 'time', 'objections', 'records', 'revocations'] as const;
export type Figure = (typeof FIGURES)[number];

const name = (lang: Lang, names: Record<string, Text>, code: string) => (names[code] ? t(lang, names[code]!) : code);

/** Each figure as rows of a table (and of its CSV): a header and the rows, in the page's language. */
export function figureTable(lang: Lang, s: OfficeStatistics, figure: Figure): { header: string[]; rows: (string | number)[][] } {
  switch (figure) {
    case 'issued':
      return {
        header: [t(lang, { zh: '月份', en: 'Month' }), t(lang, { zh: '系列', en: 'Series' }), t(lang, { zh: '级别', en: 'Level' }), t(lang, { zh: '发证数', en: 'Issued' })],
        rows: s.issuedByMonth.map((r) => [r.month, r.series, LEVEL_NAMES[r.level as Level] ? t(lang, LEVEL_NAMES[r.level as Level]) : r.level, r.n]),
      };
    case 'time':
      return {
        header: [t(lang, { zh: '已发证件数', en: 'Cases issued' }), t(lang, { zh: '中位数', en: 'Median' }), t(lang, { zh: '第90百分位', en: '90th pct.' })],
        rows: [[s.issueTime.cases, s.issueTime.medianWorkingDays ?? '—', s.issueTime.p90WorkingDays ?? '—']],
      };
    case 'objections':
      return { header: [t(lang, { zh: '提出异议', en: 'Objections raised' }), t(lang, { zh: '异议成立', en: 'Upheld' })], rows: [[s.objections.raised, s.objections.upheld]] };
    case 'records':
      return {
        header: [t(lang, { zh: '核实方式', en: 'Method' }), t(lang, { zh: '核实结果', en: 'Result' }), t(lang, { zh: '记录数', en: 'Records' })],
        rows: s.records.map((r) => [name(lang, VERIFICATION_METHOD_NAMES, r.method as VerificationMethod), name(lang, VERIFICATION_RESULT_NAMES, r.result as VerificationResult), r.n]),
      };
    case 'revocations':
      return {
        header: [t(lang, { zh: '撤销原因', en: 'Reason' }), t(lang, { zh: '撤销数', en: 'Revoked' })],
        rows: s.revocations.map((r) => [name(lang, REVOCATION_REASON_NAMES, r.reason as RevocationReason), r.n]),
      };
  }
}

const HEADINGS: Record<Figure, Text> = {
  issued: { zh: '每月发证数量（按系列、级别）', en: 'Certificates issued per month (by series and level)' },
  time: { zh: '从提交申请到发证的用时（工作日）', en: 'Time from submission to issue (working days)' },
  objections: { zh: '公示异议', en: 'Objections during the public notice' },
  records: { zh: '核实记录（按方式和结果）', en: 'Verification records (by method and result)' },
  revocations: { zh: '证书撤销（按原因）', en: 'Revocations (by reason)' },
};

export const StatisticsPage: FC<{ lang: Lang; stats: OfficeStatistics; problems: Message[] }> = ({ lang, stats: s, problems }) => {
  const range = new URLSearchParams({ from: s.from, to: s.to }).toString();
  const perMonth = s.months.map((month) => ({ label: month, value: s.issuedByMonth.filter((r) => r.month === month).reduce((n, r) => n + r.n, 0) }));
  const charts: Partial<Record<Figure, { label: string; value: number }[]>> = {
    issued: perMonth,
    time: s.issueTime.cases > 0 ? [{ label: t(lang, { zh: '中位数', en: 'Median' }), value: s.issueTime.medianWorkingDays ?? 0 }, { label: t(lang, { zh: '第 90 百分位', en: '90th percentile' }), value: s.issueTime.p90WorkingDays ?? 0 }] : [],
    objections: [{ label: t(lang, { zh: '提出', en: 'Raised' }), value: s.objections.raised }, { label: t(lang, { zh: '成立', en: 'Upheld' }), value: s.objections.upheld }],
    records: figureTable(lang, s, 'records').rows.map((r) => ({ label: `${r[0]} · ${r[1]}`, value: Number(r[2]) })),
    revocations: figureTable(lang, s, 'revocations').rows.map((r) => ({ label: String(r[0]), value: Number(r[1]) })),
  };
  return (
    <>
      <h1>{t(lang, { zh: '业务统计', en: 'Statistics' })}</h1>
      <form class="filter" method="get" action="/console/statistics">
        <div>
          <label for="stats-from">{t(lang, { zh: '自', en: 'From' })}</label>
          <input id="stats-from" name="from" type="date" value={s.from} required />
        </div>
        <div>
          <label for="stats-to">{t(lang, { zh: '至', en: 'To' })}</label>
          <input id="stats-to" name="to" type="date" value={s.to} required />
        </div>
        <button type="submit" class="secondary">
          {t(lang, { zh: '统计', en: 'Show' })}
        </button>
      </form>
      {problems.length > 0 ? (
        <div class="error" role="alert">
          <ul>
            {problems.map((m) => (
              <li>{t(lang, m)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="hint">{t(lang, { zh: '范围：本单位及其下级单位；日期按北京时间；用时按工作日（含广西“三月三”）计算。', en: 'Your organisation and those below it; China dates; times in working days (Guangxi calendar).' })}</p>
      {FIGURES.map((figure) => {
        const table = figureTable(lang, s, figure);
        const bars = charts[figure] ?? [];
        return (
          <section aria-labelledby={`fig-${figure}`} class="figure">
            <h2 id={`fig-${figure}`}>{t(lang, HEADINGS[figure])}</h2>
            {bars.length > 0 ? <BarChart id={`chart-${figure}`} title={t(lang, HEADINGS[figure])} bars={bars} /> : null}
            {table.rows.length > 0 ? (
              <CardTable lang={lang} caption={HEADINGS[figure]} columns={table.header.map((h) => ({ zh: h, en: h }))} rows={table.rows.map((r) => r.map(String))} />
            ) : (
              <p>{t(lang, { zh: '此期间没有数据。', en: 'Nothing in this period.' })}</p>
            )}
            <p>
              <a href={`/console/statistics/${figure}.csv?${range}`} download>
                {t(lang, { zh: '下载 CSV', en: 'Download CSV' })}
              </a>
            </p>
          </section>
        );
      })}
    </>
  );
};
