/**
 * @module domain/licenceMetadata
 * The 电子证照 metadata set of a certificate (issue 19 item 4), as a provincial 电子证照 library takes it: 标识,
 * 类型, 名称, 持证主体 and its 代码, 颁发机构 and its 代码, 颁发日期, 有效期限, 状态, 版本, 关联证照标识. One
 * mapping for the JSON answer and the CSV columns, so the two never say different things.
 */
import { CERTIFICATE_STATE_NAMES } from './certificateState.js';
import type { Certificate } from './certificate.js';
import { chinaDateOf, isIsoDate } from './chineseDate.js';
import { ID_TYPE_NAMES } from './idDocument.js';
import { parseLicenceIdentifier } from './licenceIdentifier.js';
import { DomainError, type Message } from './errors.js';

/** 证照类型 of every certificate this service issues. */
export const LICENCE_TYPE_NAME = '职称电子证书';

export interface LicenceMetadata {
  /** 证照标识; null for a certificate issued before identifiers (it is found by `certificateNumber`). */
  identifier: string | null;
  /** 证照类型: its code (证照类型代码, from the identifier; null without one) and name. */
  licenceType: { code: string | null; name: string };
  /** 证照名称: the title it confirms, e.g. 高级工程师. */
  name: string;
  /** 证照编号: the number printed on the certificate. */
  certificateNumber: string;
  /** 持证主体, its 代码 (the ID number, whole) and the kind of that code. */
  holder: { name: string; code: string; codeType: string };
  /** 颁发机构 and its 代码 (统一社会信用代码: the identifier's, else the organisation's now; null when it has none). */
  issuer: { name: string; code: string | null };
  /** 颁发日期: the day of issue in China, YYYY-MM-DD. */
  issuedOn: string;
  /** 有效期限: from the day of issue, without end (a title is held for life unless revoked): `until` null, 长期. */
  validity: { from: string; until: null; text: string };
  /** 状态: code and name. */
  status: { code: Certificate['status']; name: string };
  /** 版本: the identifier's version (001 for a first issue); null without an identifier. */
  version: string | null;
  /** 关联证照标识: the identifiers of the versions this one corrects (issue 19 item 2); empty for a first issue. */
  relatedIdentifiers: string[];
}


/**
 * The metadata of `certificate`; `authorityUscc` is the issuing organisation's 统一社会信用代码 now, used only
 * when the certificate has no identifier to take it from.
 * @example licenceMetadataOf(certificate, '11450000DEM0000011').identifier // '1.2.156.3005.2.….001.F'
 */
export function licenceMetadataOf(certificate: Certificate, authorityUscc: string | undefined, relatedIdentifiers: string[] = []): LicenceMetadata {
  const parsed = certificate.identifier ? parseLicenceIdentifier(certificate.identifier) : undefined;
  const parts = parsed?.ok ? parsed.parts : undefined;
  const issuedOn = chinaDateOf(certificate.issuedAt);
  return {
    identifier: certificate.identifier ?? null,
    licenceType: { code: parts?.typeCode ?? null, name: LICENCE_TYPE_NAME },
    name: certificate.title.name,
    certificateNumber: certificate.number,
    holder: { name: certificate.holder.name, code: certificate.holder.idNumber, codeType: ID_TYPE_NAMES[certificate.holder.idType].zh },
    issuer: { name: certificate.authority.name, code: parts?.authorityCode ?? authorityUscc ?? null },
    issuedOn,
    validity: { from: issuedOn, until: null, text: '长期' },
    status: { code: certificate.status, name: CERTIFICATE_STATE_NAMES[certificate.status].zh }, // issue 19 item 3: one vocabulary
    version: parts?.version ?? null,
    relatedIdentifiers,
  };
}

/** The CSV columns for a provincial library: the Chinese name of each metadata element, then its value. */
export const LICENCE_METADATA_COLUMNS: readonly [string, (m: LicenceMetadata) => string][] = [
  ['证照标识', (m) => m.identifier ?? ''],
  ['证照类型代码', (m) => m.licenceType.code ?? ''],
  ['证照类型', (m) => m.licenceType.name],
  ['证照名称', (m) => m.name],
  ['证照编号', (m) => m.certificateNumber],
  ['持证主体', (m) => m.holder.name],
  ['持证主体代码类型', (m) => m.holder.codeType],
  ['持证主体代码', (m) => m.holder.code],
  ['颁发机构', (m) => m.issuer.name],
  ['颁发机构代码', (m) => m.issuer.code ?? ''],
  ['颁发日期', (m) => m.issuedOn],
  ['有效期起始日期', (m) => m.validity.from],
  ['有效期截止日期', (m) => m.validity.until ?? m.validity.text],
  ['状态', (m) => m.status.name],
  ['版本', (m) => m.version ?? ''],
  ['关联证照标识', (m) => m.relatedIdentifiers.join(';')],
];

/** The longest period one export covers: a year (a leap year's 366 days). */
export const METADATA_PERIOD_MAX_DAYS = 366;

/**
 * Checks an export period of China dates (both ends included): real dates, `from` not after `to`, at most a year.
 * Returns the instants that bound it (from's midnight in China, to the next midnight after `to`).
 * @example metadataPeriod('2026-01-01', '2026-03-31') // { fromInstant: '2025-12-31T16:00:00.000Z', toInstant: '2026-03-31T16:00:00.000Z' }
 */
export function metadataPeriod(from: string, to: string): { fromInstant: string; toInstant: string } {
  const refuse = (message: Message, field: string) => new DomainError('validation_failed', message, field);
  if (!isIsoDate(from)) throw refuse({ zh: '起始日期应为 YYYY-MM-DD 的真实日期', en: 'from must be a real YYYY-MM-DD date' }, 'query.from');
  if (!isIsoDate(to)) throw refuse({ zh: '截止日期应为 YYYY-MM-DD 的真实日期', en: 'to must be a real YYYY-MM-DD date' }, 'query.to');
  const start = Date.parse(`${from}T00:00:00+08:00`);
  const end = Date.parse(`${to}T00:00:00+08:00`) + 86_400_000;
  if (end <= start) throw refuse({ zh: '起始日期不能晚于截止日期', en: 'from must not be after to' }, 'query.from');
  if (end - start > METADATA_PERIOD_MAX_DAYS * 86_400_000) {
    throw refuse({ zh: `一次最多导出 ${METADATA_PERIOD_MAX_DAYS} 天`, en: `One export covers at most ${METADATA_PERIOD_MAX_DAYS} days` }, 'query.to');
  }
  return { fromInstant: new Date(start).toISOString(), toInstant: new Date(end).toISOString() };
}
