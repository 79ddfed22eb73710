/**
 * @module domain/verificationSighting
 * Who verified me (issue 17 item 4, after the national title lookup's 查询记录): each verification of a
 * holder's certificate, as the holder reads it — when, by which channel, for which purpose (a share link's),
 * by which organisation when a signed-in staff member or a 核实 record's handler did it (notice 四(三), 四(四):
 * a check is attributable to whoever made it). Never the verifier's IP address or user agent: the holder
 * learns who checked them, not where an anonymous employer sat. Pure rules: the channels, their names, and
 * how many a page holds.
 */
import type { Message } from './errors.js';

/** `qr` the QR link with its proof, `share` a live share link, `lookup` a typed number and name that matched, `record` a 核实 record naming the holder. */
export const SIGHTING_CHANNELS = ['qr', 'share', 'lookup', 'record'] as const;
export type SightingChannel = (typeof SIGHTING_CHANNELS)[number];

export const SIGHTING_CHANNEL_NAMES: Record<SightingChannel, Message> = {
  qr: { zh: '扫描证书二维码', en: 'Scanned the QR code' },
  share: { zh: '打开您的分享链接', en: 'Opened your share link' },
  lookup: { zh: '按证书编号和姓名查询', en: 'Looked up by number and name' },
  record: { zh: '职称核实记录（核实情况记录单）', en: 'Title verification record' },
};

/**
 * One verification as recorded: a certificate number (qr, share, lookup) or, for a 核实 record, the subject's
 * ID number — exactly one of the two. `orgCode` only for a signed-in staff member or a record's handler.
 */
export interface Sighting {
  at: string;
  channel: SightingChannel;
  certificateNumber?: string | undefined;
  idNumber?: string | undefined;
  purpose?: string | undefined;
  orgCode?: string | undefined;
}

/** A page of the holder's list: 20 unless asked, at most 100. */
export const DEFAULT_SIGHTINGS_PAGE = 20;
export const MAX_SIGHTINGS_PAGE = 100;

/**
 * The page size asked for, within 1–100 (anything else: the default, so a hand-typed query never fails).
 * @example sightingsPageSize('500') // 100
 */
export function sightingsPageSize(asked: string | number | undefined): number {
  const n = typeof asked === 'number' ? asked : asked === undefined || asked === '' ? Number.NaN : Number(asked);
  if (!Number.isInteger(n) || n < 1) return DEFAULT_SIGHTINGS_PAGE;
  return Math.min(n, MAX_SIGHTINGS_PAGE);
}
