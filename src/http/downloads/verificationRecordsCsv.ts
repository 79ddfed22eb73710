/**
 * @module http/downloads/verificationRecordsCsv
 * The 核实 records as CSV for Excel: the API's `format=csv` and the console's download alike.
 */
import { formatChineseDateTime } from '../../domain/chineseDate.js';
import { VERIFICATION_METHOD_NAMES, VERIFICATION_RESULT_NAMES, type VerificationRecord } from '../../domain/verificationRecord.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import { listVerificationRecords, type VerificationRecordQuery, type VerificationRecordView } from '../../services/verificationLog.js';
import { toCsv } from '../csv.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };

const CSV_HEADER = ['记录编号', '序号', '持证人', '身份证号码', '资格名称', '评审机构', '取得时间', '核实方式', '核实时间', '核查结果', '核查记录', '经办人', '记录日期', '取代记录', '被取代', '链哈希'];

function csvRow(view: VerificationRecordView): (string | number)[] {
  const r: VerificationRecord = view.record;
  return [
    r.id, r.seq, r.subject.holderName, r.subject.idNumber, r.subject.titleName, r.subject.evaluatingBody, r.subject.acquiredOn,
    VERIFICATION_METHOD_NAMES[r.details.method].zh, formatChineseDateTime(r.checkedAt), VERIFICATION_RESULT_NAMES[r.result].zh,
    r.record, r.handler.name, r.recordedOn, r.supersedes?.id ?? '', view.supersededBy ?? '', r.hash,
  ];
}

/** The CSV download's headers: Excel's UTF-8 CSV, named in Chinese for browsers that read filename*. */
export const CSV_DOWNLOAD_HEADERS = {
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="verification-records.csv"; filename*=UTF-8''${encodeURIComponent('核实记录.csv')}`,
  ...PRIVATE,
};

/**
 * Every record of the caller's organisation matching the query, as CSV for Excel — the API's `format=csv`
 * and the console's download alike.
 * @example const csv = await verificationRecordsCsv(deps, actor, { result: 'genuine' }); // '\uFEFF记录编号,序号,…'
 */
export async function verificationRecordsCsv(ctx: ServiceContext, actor: Actor, query: VerificationRecordQuery): Promise<string> {
  const views: VerificationRecordView[] = [];
  for (let page = 1; ; page++) {
    const batch = await listVerificationRecords(ctx, actor, { ...query, page, pageSize: 200 });
    views.push(...batch.items);
    if (views.length >= batch.total || batch.items.length === 0) break;
  }
  return toCsv(CSV_HEADER, views.map(csvRow));
}
