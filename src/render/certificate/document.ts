/**
 * @module render/certificate/document
 * What a certificate prints, and how each value is written on paper: dates in Chinese
 * (2015年12月30日), the issuing instant as the calendar date in China, the number grouped (26K7-Q2M9-XHT).
 */

import { formatCertificateNumber } from '../../domain/certificateNumber.js';
import { chinaDateOf, formatChineseDate } from '../../domain/chineseDate.js';
import type { CertificateFieldKey } from '../../domain/labels.js';

/** Everything the renderer needs for one certificate; values arrive validated and already masked. */
export interface CertificateDocument {
  /** The canonical number, e.g. `26K7Q2M9XHT`; printed grouped, `26K7-Q2M9-XHT` (see printedNumber). */
  number: string;
  /** Encoded in the QR code. */
  verifyUrl: string;
  /** The signed compact JWS; travels inside the PDF as the `certificate.jws` attachment. */
  token: string;
  holder: { name: string; gender: string; idType: string; idNumber: string };
  photo?: { bytes: Uint8Array; type: 'image/jpeg' | 'image/png' };
  title: { seriesName: string; name: string; level: string; specialty: string };
  /** The original title: its date and specialty are the certificate's (notice 二(二)4). */
  original: { acquiredOn: string; method: string; evaluatingBody: string; certificateNumber?: string };
  authority: { name: string; code: string };
  decision: { number: string; decidedOn: string };
  /** ISO instant. */
  issuedAt: string;
  /** 电子证照标识 (issue 19 item 1), printed small under the number; absent on certificates issued without one. */
  identifier?: string | undefined;
  /** Made on the public demo keys: every page carries the template's demo mark (演示 DEMO). */
  demo?: boolean | undefined;
}

/**
 * The text printed for `key`, or `undefined` when the document has no such value (an optional field).
 *
 * @example
 * printedValue(doc, 'original.acquiredOn') // '2015年12月30日'
 * printedValue(doc, 'issuedAt')            // '2026年3月18日' (China date of the instant)
 */
export function printedValue(doc: CertificateDocument, key: CertificateFieldKey): string | undefined {
  switch (key) {
    case 'number':
      return printedNumber(doc);
    case 'holder.name':
      return doc.holder.name;
    case 'holder.gender':
      return doc.holder.gender;
    case 'holder.idType':
      return doc.holder.idType;
    case 'holder.idNumber':
      return doc.holder.idNumber;
    case 'title.seriesName':
      return doc.title.seriesName;
    case 'title.name':
      return doc.title.name;
    case 'title.level':
      return doc.title.level;
    case 'title.specialty':
      return doc.title.specialty;
    case 'original.acquiredOn':
      return formatChineseDate(doc.original.acquiredOn);
    case 'original.method':
      return doc.original.method;
    case 'original.evaluatingBody':
      return doc.original.evaluatingBody;
    case 'original.certificateNumber':
      return doc.original.certificateNumber || undefined;
    case 'decision.number':
      return doc.decision.number;
    case 'decision.decidedOn':
      return formatChineseDate(doc.decision.decidedOn);
    case 'authority.name':
      return doc.authority.name;
    case 'authority.code':
      return doc.authority.code;
    case 'issuedAt':
      return issuedOn(doc);
  }
}

/** The issuing date as printed: the calendar date in China at `issuedAt`. */
export function issuedOn(doc: CertificateDocument): string {
  return formatChineseDate(chinaDateOf(doc.issuedAt));
}

/**
 * The number as people read, copy and type it — grouped 4-4-3, as on the pages. Throws a RangeError for
 * a number that is not valid: printing one would be a bug.
 *
 * @example printedNumber(doc) // '26K7-Q2M9-XHT'
 */
export function printedNumber(doc: CertificateDocument): string {
  return formatCertificateNumber(doc.number);
}
