/**
 * @module render/verificationRecord/document
 * What the verification record (attachment 2) prints, and how each value is written on paper: dates in
 * Chinese, the instants of the check and of a phone call in China time, the method's details as
 * `label：value` lines — the note under attachment 2 asks for the time of the check and the address
 * checked, or the phone contact's unit, position and number.
 */

import { formatChineseDate, formatChineseDateTime } from '../../domain/chineseDate.js';
import type { EvidenceRef, VerificationRecord } from '../../domain/verificationRecord.js';
import type { VerificationRecordTemplate, VerificationSubjectKey } from './template.js';
import { clean } from '../lib/wrap.js';

/** Everything the renderer needs for one verification record. */
export interface VerificationRecordDocument {
  record: VerificationRecord;
  /** 核查结果 as it should print, e.g. `经核实，李四同志取得的高级工程师职称真实有效。` (the caller words it). */
  resultSentence: string;
  /** The later record that corrects this one, when there is one. */
  supersededBy?: { id: string; createdAt: string } | undefined;
  /**
   * The evidence file the record's details point at — the screenshot of an information system's answer,
   * the scan of a letter's reply — as stored with the record: printed on the sheet, not only its hash (四(三)).
   */
  evidence?: { bytes: Uint8Array; mediaType: 'image/jpeg' | 'image/png' | 'application/pdf' } | undefined;
  /** Made on the public demo keys: every page carries the template's demo mark (演示 DEMO). */
  demo?: boolean | undefined;
}

/**
 * The evidence a record points at, and what it is: a screenshot (information system) or a reply scan (letter).
 *
 * @example
 * recordEvidence(record) // { kind: 'reply', sha256: '3f…', mediaType: 'application/pdf', bytes: 48213 }
 */
export function recordEvidence(record: VerificationRecord): (EvidenceRef & { kind: 'screenshot' | 'reply' }) | undefined {
  const { details } = record;
  if (details.method === 'information_system') return { kind: 'screenshot', ...details.informationSystem.evidence };
  if (details.method === 'letter') return { kind: 'reply', ...details.letter.evidence };
  return undefined;
}

/** One printed value: its JSON path in the record (as the API names it), its label, its text. */
export interface PrintedField {
  field: string;
  label: string;
  value: string;
}

/** A 核查记录 detail line; `code` values (addresses, hashes, numbers) shrink to stay whole rather than wrap. */
export interface RecordDetail extends PrintedField {
  code: boolean;
}

/**
 * The value printed in a 需核实职称证书情况 row — the full ID number: this is an internal record.
 *
 * @example
 * subjectValue(record.subject, 'acquiredOn') // '2015年12月30日'
 */
export function subjectValue(subject: VerificationRecord['subject'], key: VerificationSubjectKey): string {
  return key === 'acquiredOn' ? formatChineseDate(subject.acquiredOn) : clean(subject[key]);
}

/**
 * The lines under the record text: the time of the check, then the method's details, then the original
 * certificate's number when it is known.
 *
 * @example
 * recordDetails(record, template.record.labels)[0] // { field: 'checkedAt', label: '核查时间', value: '2026年11月20日 10:30', code: false }
 */
export function recordDetails(record: VerificationRecord, labels: VerificationRecordTemplate['record']['labels']): RecordDetail[] {
  const line = (field: string, label: string, value: string, code = false): RecordDetail => ({ field, label, value: clean(value), code });
  const details = [line('checkedAt', labels.checkedAt, formatChineseDateTime(record.checkedAt))];
  const { details: method } = record;
  switch (method.method) {
    case 'information_system': {
      const { name, url, evidence } = method.informationSystem;
      details.push(
        line('informationSystem.name', labels.systemName, name),
        line('informationSystem.url', labels.url, url, true),
        line('informationSystem.evidence', labels.systemEvidence, evidence.sha256, true),
      );
      break;
    }
    case 'letter': {
      const { number, sentTo, sentOn, repliedOn, evidence } = method.letter;
      details.push(
        line('letter.number', labels.letterNumber, number, true),
        line('letter.sentTo', labels.sentTo, sentTo),
        line('letter.sentOn', labels.sentOn, formatChineseDate(sentOn)),
        line('letter.repliedOn', labels.repliedOn, formatChineseDate(repliedOn)),
        line('letter.evidence', labels.letterEvidence, evidence.sha256, true),
      );
      break;
    }
    case 'phone': {
      const { organisation, position, name, number, calledAt } = method.phone;
      details.push(
        line('phone.organisation', labels.organisation, organisation),
        line('phone.position', labels.position, position),
        line('phone.name', labels.contactName, name),
        line('phone.number', labels.phoneNumber, number, true),
        line('phone.calledAt', labels.calledAt, formatChineseDateTime(calledAt)),
      );
      break;
    }
    case 'other':
      details.push(line('other.description', labels.description, method.other.description));
      break;
  }
  const { certificateNumber } = record.subject;
  if (certificateNumber) details.push(line('subject.certificateNumber', labels.certificateNumber, certificateNumber, true));
  return details;
}

/**
 * Every value of the document that prints, with its label, for the undrawable-character check.
 *
 * @example
 * refuseUndrawable(printedFields(doc, template), fonts);
 */
export function* printedFields(doc: VerificationRecordDocument, template: VerificationRecordTemplate): Generator<PrintedField> {
  const { record } = doc;
  for (const row of template.subject.rows) yield { field: `subject.${row.key}`, label: row.label, value: subjectValue(record.subject, row.key) };
  yield* recordDetails(record, template.record.labels);
  yield { field: 'record', label: template.record.label, value: record.record };
  yield { field: 'result', label: template.result.label, value: doc.resultSentence };
  yield { field: 'handler.name', label: template.signature.label.replace(/[：:]$/u, ''), value: record.handler.name };
  yield { field: 'id', label: '记录编号', value: record.id };
  if (record.supersedes) {
    yield { field: 'supersedes.id', label: '所更正记录编号', value: record.supersedes.id };
    yield { field: 'supersedes.reason', label: '更正原因', value: record.supersedes.reason };
  }
  if (doc.supersededBy) yield { field: 'supersededBy.id', label: '更正记录编号', value: doc.supersededBy.id };
}
