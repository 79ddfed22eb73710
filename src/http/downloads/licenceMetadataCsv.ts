/**
 * @module http/downloads/licenceMetadataCsv
 * A period's 电子证照 metadata (issue 19 item 4) as CSV for upload to a provincial library: one column per
 * metadata element (domain/licenceMetadata LICENCE_METADATA_COLUMNS), cells defused against formulas by http/csv.
 */
import { LICENCE_METADATA_COLUMNS, type LicenceMetadata } from '../../domain/licenceMetadata.js';
import { toCsv } from '../csv.js';

/** The CSV download's headers: Excel's UTF-8 CSV, named in Chinese for browsers that read filename*. */
export function metadataCsvHeaders(from: string, to: string): Record<string, string> {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="licence-metadata-${from}-${to}.csv"; filename*=UTF-8''${encodeURIComponent(`电子证照元数据-${from}-${to}.csv`)}`,
    'Cache-Control': 'private, no-store',
    'X-Robots-Tag': 'noindex, nofollow',
  };
}

/** @example licenceMetadataCsv(rows) // '\uFEFF证照标识,证照类型代码,…\r\n1.2.156.3005.2.…\r\n' */
export function licenceMetadataCsv(rows: readonly LicenceMetadata[]): string {
  return toCsv(
    LICENCE_METADATA_COLUMNS.map(([name]) => name),
    rows.map((m) => LICENCE_METADATA_COLUMNS.map(([, value]) => value(m))),
  );
}
