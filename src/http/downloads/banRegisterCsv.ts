/**
 * @module http/downloads/banRegisterCsv
 * The ban register as CSV for Excel: the API's `format=csv` and the console's download alike.
 */
import { formatChineseDate, formatChineseDateTime } from '../../domain/chineseDate.js';
import { registerShowsFullIdNumber } from '../../domain/ban.js';
import { banRegister, type RegisterEntry } from '../../services/bans.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import { toCsv } from '../csv.js';

const PRIVATE = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' };

const SOURCE_NAMES = { revocation: '撤销已确认的职称', application: '申报时不予确认' } as const;
const CSV_HEADER = ['姓名', '身份证号码', '禁止事项', '起始年度', '截止年度', '截止日期', '今日是否在禁止期内', '依据', '缘由', '撤销的证书编号', '说明', '记录时间'];
const NOTE_COLUMN = CSV_HEADER.indexOf('说明');

function csvRow(b: RegisterEntry): string[] {
  return [
    b.holderName, b.idNumber, b.bars.zh, `${b.startYear}年`, `${b.endYear}年`, formatChineseDate(`${b.endYear}-12-31`), b.inForce ? '是' : '否',
    `桂职办〔2020〕132号 ${b.clause}`, SOURCE_NAMES[b.source], b.certificateNumber ?? '', b.note ?? '', formatChineseDateTime(b.createdAt),
  ];
}

/**
 * The register as CSV for Excel — the API's `format=csv` and the console's download alike. For staff other
 * than auditors the names and ID numbers come masked and the 说明 column (the revocation's note) is left out
 * (domain/ban.ts registerEntry, 四(四)).
 * @example const csv = await banRegisterCsv(ctx, auditor, {}); // '\uFEFF姓名,身份证号码,禁止事项,…'
 */
export async function banRegisterCsv(ctx: ServiceContext, actor: Actor, query: { inForce?: boolean | undefined }): Promise<string> {
  const rows = (await banRegister(ctx, actor, query)).map(csvRow);
  if (registerShowsFullIdNumber(actor.role)) return toCsv(CSV_HEADER, rows);
  const withoutNote = (row: readonly string[]) => row.filter((_, i) => i !== NOTE_COLUMN);
  return toCsv(withoutNote(CSV_HEADER), rows.map(withoutNote));
}

export const BAN_CSV_DOWNLOAD_HEADERS = {
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="bans.csv"; filename*=UTF-8''${encodeURIComponent('申报晋升职称禁止名单.csv')}`,
  ...PRIVATE,
};
