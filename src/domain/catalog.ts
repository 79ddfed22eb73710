/**
 * @module domain/catalog
 * The national title series (职称系列) and the title names each grants, with the level of each name.
 * Reconfirmation needs both: notice 一(二)3 requires the series of the current work to match the series
 * of the original title, and the level decides the confirming authority (notice 二(一)).
 *
 * The data lives in `catalog.data.json`, with a `source` naming the documents it follows. A title name
 * can belong to several series (研究员, 编辑, 讲师…), so a title is always looked up within a series.
 * Names a series reform replaced (教授级高级工程师, 中学高级教师, 助理翻译…) stay in the catalog marked
 * `legacy`, at the level the reform mapped them to: reconfirmation is about titles granted years ago.
 */

import catalogData from './catalog.data.json' with { type: 'json' };
import { isLevel } from './levels.js';
import type { Level } from './levels.js';

/** One title name of a series and the level it stands for in that series. */
export interface TitleEntry {
  readonly name: string;
  readonly level: Level;
  /** A name used before the series reform; still printed on certificates granted then. */
  readonly legacy?: true;
}

export interface Series {
  /** Stable lowercase ASCII key, e.g. `engineering`; stored in data, never shown. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly titles: readonly TitleEntry[];
}

export interface CatalogDocument {
  readonly number?: string;
  readonly title: string;
  readonly issuer?: string;
  readonly series?: string;
}

export interface CatalogSource {
  /** The national framework every series reform implements. */
  readonly basis: readonly CatalogDocument[];
  /** Series reform guidance documents, with a number only where it has been checked. */
  readonly documents: readonly CatalogDocument[];
  readonly otherSeries: string;
  readonly legacy: string;
  /** Series whose title list should be checked against the reform text before relying on it. */
  readonly reviewNeeded: readonly string[];
  readonly reviewNote: string;
}

const SERIES_CODE = /^[a-z][a-z0-9_]*$/;

// The JSON is checked once when the module loads, so a bad edit fails every test instead of one lookup.
function loadSeries(raw: unknown): readonly Series[] {
  if (!Array.isArray(raw)) throw new TypeError('catalog.data.json: `series` must be an array');
  const seen = new Set<string>();
  return Object.freeze(
    raw.map((item: unknown, index): Series => {
      const s = item as Record<string, unknown>;
      const where = `catalog.data.json: series[${index}]`;
      if (typeof s.code !== 'string' || !SERIES_CODE.test(s.code)) throw new TypeError(`${where}: bad code`);
      if (seen.has(s.code)) throw new TypeError(`${where}: duplicate code ${s.code}`);
      seen.add(s.code);
      if (typeof s.name !== 'string' || s.name === '') throw new TypeError(`${where}: missing name`);
      if (typeof s.nameEn !== 'string' || s.nameEn === '') throw new TypeError(`${where}: missing nameEn`);
      if (!Array.isArray(s.titles) || s.titles.length === 0) throw new TypeError(`${where}: no titles`);
      const names = new Set<string>();
      const titles = s.titles.map((t: unknown): TitleEntry => {
        const e = t as Record<string, unknown>;
        if (typeof e.name !== 'string' || e.name === '') throw new TypeError(`${where}: title without name`);
        if (names.has(e.name)) throw new TypeError(`${where}: duplicate title ${e.name}`);
        names.add(e.name);
        if (!isLevel(e.level)) throw new TypeError(`${where}: ${e.name} has unknown level ${String(e.level)}`);
        return Object.freeze(e.legacy === true ? { name: e.name, level: e.level, legacy: true } : { name: e.name, level: e.level });
      });
      return Object.freeze({ code: s.code, name: s.name, nameEn: s.nameEn, titles: Object.freeze(titles) });
    }),
  );
}

const SERIES: readonly Series[] = loadSeries(catalogData.series);
const BY_CODE: ReadonlyMap<string, Series> = new Map(SERIES.map((s) => [s.code, s]));

/** The documents the catalog follows; shown with the catalog so a reviewer can check it. */
export const CATALOG_SOURCE: CatalogSource = Object.freeze(catalogData.source);

/**
 * Every series, in the catalog's order.
 * @example
 * listSeries().map((s) => s.name) // ['高等学校教师', '哲学社会科学研究', …]
 */
export function listSeries(): readonly Series[] {
  return SERIES;
}

/**
 * @example
 * findSeries('engineering')?.name // '工程技术'
 * findSeries('nope') // undefined
 */
export function findSeries(code: string): Series | undefined {
  return BY_CODE.get(code);
}

/**
 * The title called `titleName` in series `seriesCode`. Whitespace inside the name is ignored, because
 * certificates often space out short names (`工 程 师`).
 * @example
 * findTitle('engineering', '高级工程师') // { name: '高级工程师', level: 'senior_associate' }
 * findTitle('health', '高级工程师') // undefined — not a title of that series
 */
export function findTitle(seriesCode: string, titleName: string): TitleEntry | undefined {
  const wanted = titleName.replace(/\s+/g, '');
  return BY_CODE.get(seriesCode)?.titles.find((t) => t.name === wanted);
}
