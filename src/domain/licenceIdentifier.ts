/**
 * @module domain/licenceIdentifier
 * 电子证照标识 (issue 19 item 1): the identifier the national 电子证照 libraries know a certificate by,
 *
 *   `1.2.156.3005.2.{证照类型代码}.{颁发机构代码}.{流水号}.{版本号}.{校验位}`
 *
 * - 证照类型代码: 21 characters, the 统一社会信用代码 of the authority that defines this kind of licence
 *   (GB 32100-2015, checked by domain/uscc.ts) followed by 3 digits — configured per deployment;
 * - 颁发机构代码: the issuing authority's 统一社会信用代码 (18 characters, checked the same way);
 * - 流水号: a decimal serial per (type, authority), printed with at least 8 digits (`00000001`);
 * - 版本号: 3 digits, `001` for a first issue (a correction later issues `002` of the same serial);
 * - 校验位: ISO/IEC 7064 MOD 37,36 (the hybrid system) over the four fields joined without dots, on the
 *   alphabet `0-9A-Z` valued 0–35: start with p = 36; for each character, s = (p + value) mod 36 (0 counts
 *   as 36), p = 2·s mod 37; the check character is the one whose value c makes (p + c) mod 36 = 1.
 */
import { DomainError, type Message } from './errors.js';
import { usccFault } from './uscc.js';

/** The fixed arc every 电子证照标识 begins with (national e-licence OID). */
export const LICENCE_IDENTIFIER_PREFIX = '1.2.156.3005.2.';
/** ISO/IEC 7064 hybrid alphabet: the digits, then A–Z, each valued by its position. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;
/** The first issue's version; corrections count up from here (issue 19 item 2). */
export const FIRST_VERSION = '001';
const SERIAL_WIDTH = 8;

/**
 * The demo deployment's 证照类型代码 (its USCC part spells DEM, shown with 演示 DEMO wherever a person sees it):
 * used when ECERT_LICENCE_TYPE_CODE is not set and the service runs on the public demo root.
 */
export const DEMO_LICENCE_TYPE_CODE = '11100000DEM0000018001';
/** The demo authorities' made-up 统一社会信用代码 (valid check characters), given them at start on the demo root only. */
export const DEMO_AUTHORITY_USCCS: Readonly<Record<string, string>> = { GXZGB: '11450000DEM0000011', NNZGB: '11450100DEM0000029', GXUZP: '12450000DEM0000034' };

export interface LicenceIdentifierParts {
  /** 证照类型代码: the defining authority's USCC and 3 digits. */
  typeCode: string;
  /** 颁发机构代码: the issuing authority's USCC. */
  authorityCode: string;
  /** 流水号, as a number (printed zero-padded to 8 digits). */
  serial: number;
  /** 版本号: three digits, `001` first. */
  version: string;
}

/**
 * The MOD 37,36 check character of `data` (characters of 0-9A-Z only); undefined when another character is in it.
 * @example mod37_36CheckCharacter('A1') // 'W' (worked by hand in test/domain/licenceIdentifier.test.ts)
 */
export function mod37_36CheckCharacter(data: string): string | undefined {
  let p = M;
  for (const ch of data) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) return undefined;
    const s = (p + value) % M || M;
    p = (2 * s) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M];
}

/** What is wrong with a 证照类型代码 (USCC + 3 digits), or undefined when it is one. */
export function licenceTypeCodeFault(code: string): Message | undefined {
  if (!/^[0-9A-Z]{18}[0-9]{3}$/.test(code)) {
    return { zh: '证照类型代码应为 21 位：统一社会信用代码（18 位）加 3 位数字', en: 'A licence type code has 21 characters: a unified social credit code (18) and 3 digits' };
  }
  if (usccFault(code.slice(0, 18))) {
    return { zh: '证照类型代码的前 18 位不是有效的统一社会信用代码（GB 32100-2015 校验位不符）', en: 'The first 18 characters of the licence type code are not a valid unified social credit code (GB 32100-2015 check character)' };
  }
  return undefined;
}

const pad = (serial: number) => String(serial).padStart(SERIAL_WIDTH, '0');

/**
 * The identifier of these parts, with its check character. Throws RangeError on parts that are not well formed
 * (the caller checked the USCCs and the type code already: a fault here is a programming error).
 * @example buildLicenceIdentifier({ typeCode: DEMO_LICENCE_TYPE_CODE, authorityCode: '11450000DEM0000011', serial: 1, version: '001' })
 */
export function buildLicenceIdentifier(parts: LicenceIdentifierParts): string {
  const { typeCode, authorityCode, serial, version } = parts;
  if (licenceTypeCodeFault(typeCode)) throw new RangeError(`not a licence type code: ${typeCode}`);
  if (usccFault(authorityCode)) throw new RangeError(`not a unified social credit code: ${authorityCode}`);
  if (!Number.isSafeInteger(serial) || serial < 1) throw new RangeError(`serial must be a positive integer, got ${serial}`);
  if (!/^[0-9]{3}$/.test(version) || version === '000') throw new RangeError(`version must be 001–999, got ${version}`);
  const fields = [typeCode, authorityCode, pad(serial), version];
  return `${LICENCE_IDENTIFIER_PREFIX}${fields.join('.')}.${mod37_36CheckCharacter(fields.join(''))}`;
}

export type LicenceIdentifierFault =
  | { kind: 'format' }
  | { kind: 'type_code'; message: Message }
  | { kind: 'authority_code' }
  | { kind: 'check'; expected: string; found: string };

const SHAPE = /^1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.([0-9]{1,15})\.([0-9]{3})\.([0-9A-Z])$/;

/** Whether `text` is meant as an identifier (it begins with the national arc), whatever else is wrong with it. */
export function looksLikeLicenceIdentifier(text: string): boolean {
  return text.trim().startsWith('1.2.156.3005.');
}

/**
 * The parts of an identifier, or what is wrong with it: `check` (a mistyped character, most likely) is told
 * apart from a malformed one. Lower case letters are read as capitals.
 * @example parseLicenceIdentifier(id) // { ok: true, parts: { typeCode, authorityCode, serial: 1, version: '001' }, identifier }
 */
export function parseLicenceIdentifier(text: string): { ok: true; identifier: string; parts: LicenceIdentifierParts } | { ok: false; fault: LicenceIdentifierFault } {
  const identifier = text.trim().toUpperCase();
  const m = SHAPE.exec(identifier);
  if (!m) return { ok: false, fault: { kind: 'format' } };
  const [, typeCode, authorityCode, serialText, version, check] = m as unknown as [string, string, string, string, string, string];
  const typeFault = licenceTypeCodeFault(typeCode);
  if (typeFault) return { ok: false, fault: { kind: 'type_code', message: typeFault } };
  if (usccFault(authorityCode)) return { ok: false, fault: { kind: 'authority_code' } };
  const expected = mod37_36CheckCharacter(`${typeCode}${authorityCode}${serialText}${version}`)!;
  if (expected !== check) return { ok: false, fault: { kind: 'check', expected, found: check } };
  const serial = Number(serialText);
  if (serial < 1 || version === '000') return { ok: false, fault: { kind: 'format' } };
  return { ok: true, identifier, parts: { typeCode, authorityCode, serial, version } };
}

/** Words for each fault, for a person who typed the identifier. */
export function licenceIdentifierFaultMessage(fault: LicenceIdentifierFault): Message {
  switch (fault.kind) {
    case 'check':
      return {
        zh: `电子证照标识校验位错误：最后一位为“${fault.found}”，按 ISO/IEC 7064 MOD 37,36 应为“${fault.expected}”，可能输错了字符。请对照证书重新输入。`,
        en: `The e-licence identifier's check character is wrong: the last one is “${fault.found}”, ISO/IEC 7064 MOD 37,36 calls for “${fault.expected}”; a character was probably mistyped. Please type it again from the certificate.`,
      };
    case 'type_code':
      return { zh: `电子证照标识格式错误：${fault.message.zh}`, en: `Malformed e-licence identifier: ${fault.message.en}` };
    case 'authority_code':
      return { zh: '电子证照标识格式错误：颁发机构代码不是有效的统一社会信用代码', en: "Malformed e-licence identifier: the issuing authority's code is not a valid unified social credit code" };
    case 'format':
      return {
        zh: '电子证照标识格式错误：应为 1.2.156.3005.2.证照类型代码.颁发机构代码.流水号.版本号.校验位',
        en: 'Malformed e-licence identifier: it reads 1.2.156.3005.2.type code.authority code.serial.version.check character',
      };
  }
}

/**
 * The parts of a typed identifier; throws `validation_failed` on `field` with words saying what is wrong —
 * a wrong check character says so (never "not found").
 * @example checkLicenceIdentifier(' 1.2.156.3005.2.… ') // { identifier, parts }
 */
export function checkLicenceIdentifier(text: string, field = 'identifier'): { identifier: string; parts: LicenceIdentifierParts } {
  const parsed = parseLicenceIdentifier(text);
  if (parsed.ok) return { identifier: parsed.identifier, parts: parsed.parts };
  throw new DomainError('validation_failed', licenceIdentifierFaultMessage(parsed.fault), field, { fault: parsed.fault.kind });
}

/**
 * The parts of the version after `parts` (issue 19 item 2: a correction is the next version of the same serial),
 * or undefined past `999`, the last three-digit version.
 * @example nextVersionParts({ ...parts, version: '001' })?.version // '002'
 */
export function nextVersionParts(parts: LicenceIdentifierParts): LicenceIdentifierParts | undefined {
  const next = Number(parts.version) + 1;
  return next > 999 ? undefined : { ...parts, version: String(next).padStart(3, '0') };
}
