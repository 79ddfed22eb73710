/**
 * @module render/verificationRecord/template
 * The verification record's layout as data (`templates/verification-record.json`): attachment 2 of the
 * notice — its title, table rows, check boxes and the note under it — in millimetres from the page's
 * top-left and points. Parsed once at start-up, so a broken template stops the service naming the bad key.
 */

import { z } from 'zod';
import { VERIFICATION_METHODS } from '../../domain/verificationRecord.js';
import { demoMarkSchema } from '../lib/demoMark.js';

/** The rows of 需核实职称证书情况, each a field of the record's subject; attachment 2 has all five. */
export const VERIFICATION_SUBJECT_KEYS = ['holderName', 'idNumber', 'titleName', 'evaluatingBody', 'acquiredOn'] as const;
export type VerificationSubjectKey = (typeof VERIFICATION_SUBJECT_KEYS)[number];

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #RRGGBB');
const mm = z.number().min(0).max(1000);
const pt = z.number().positive().max(200);
const text = z.string().min(1);
const lineHeight = z.number().min(1).max(3);
/** A sentence with `{name}` slots the renderer fills; each listed slot must be there. */
const pattern = (...slots: string[]) =>
  slots.reduce((schema, slot) => schema.refine((s) => s.includes(`{${slot}}`), `must contain {${slot}}`), text);

const templateSchema = z.object({
  page: z.object({ widthMm: mm, heightMm: mm }),
  palette: z.object({ ink: hexColor, muted: hexColor, rule: hexColor, alert: hexColor }),
  attachment: z.object({ text, sizePt: pt, leftMm: mm, baselineMm: mm }),
  title: z.object({ text, sizePt: pt, baselineMm: mm, continuedSuffix: text, continuedSizePt: pt, continuedBaselineMm: mm }),
  table: z.object({
    leftMm: mm,
    rightMm: mm,
    topMm: mm,
    continuedTopMm: mm,
    groupWidthMm: mm,
    labelWidthMm: mm,
    outerWidthPt: pt,
    innerWidthPt: pt,
    paddingXMm: mm,
    paddingYMm: mm,
    labelSizePt: pt,
    lineHeightEm: lineHeight,
  }),
  subject: z.object({
    label: text,
    rowMinHeightMm: mm,
    valueSizePt: pt,
    minValueSizePt: pt,
    maxLines: z.number().int().min(1).max(6),
    rows: z
      .array(z.object({ key: z.enum(VERIFICATION_SUBJECT_KEYS), label: text }))
      .refine((rows) => VERIFICATION_SUBJECT_KEYS.every((key) => rows.filter((row) => row.key === key).length === 1), 'attachment 2 has one row for each of ' + VERIFICATION_SUBJECT_KEYS.join(', ')),
  }),
  method: z.object({
    label: text,
    rowMinHeightMm: mm,
    sizePt: pt,
    boxEm: z.number().min(0.4).max(1.2),
    boxWidthPt: pt,
    tickWidthPt: pt,
    boxGapMm: mm,
    optionGapMm: mm,
    otherSeparator: text,
    lines: z
      .array(z.array(z.enum(VERIFICATION_METHODS)).min(1))
      .min(1)
      .refine((lines) => VERIFICATION_METHODS.every((m) => lines.flat().filter((n) => n === m).length === 1), 'every method has exactly one box'),
  }),
  record: z.object({
    label: text,
    continuedLabel: text,
    rowMinHeightMm: mm,
    sizePt: pt,
    minSizePt: pt,
    lineHeightEm: lineHeight,
    detailSizePt: pt,
    minDetailSizePt: pt,
    paragraphGapMm: mm,
    minLinesBeforeBreak: z.number().int().min(1).max(20),
    labels: z.object({
      checkedAt: text,
      certificateNumber: text,
      systemName: text,
      url: text,
      systemEvidence: text,
      letterNumber: text,
      sentTo: text,
      sentOn: text,
      repliedOn: text,
      letterEvidence: text,
      organisation: text,
      position: text,
      contactName: text,
      phoneNumber: text,
      calledAt: text,
      description: text,
    }),
  }),
  evidence: z.object({
    screenshotLabel: text,
    replyLabel: text,
    maxHeightMm: mm,
    paddingMm: mm,
    sizePt: pt,
    caption: pattern('hash'),
    attached: pattern('pages'),
    notAttached: text,
  }),
  result: z.object({ label: text, rowMinHeightMm: mm, sizePt: pt, minSizePt: pt }),
  signature: z.object({ label: text, rowMinHeightMm: mm, sizePt: pt }),
  note: z.object({ text, sizePt: pt, gapMm: mm }),
  footer: z.object({
    bottomMm: mm,
    gapMm: mm,
    sizePt: pt,
    lineHeightEm: lineHeight,
    record: pattern('id', 'hash'),
    hashChars: z.number().int().min(8).max(64),
    supersedes: pattern('id', 'reason'),
    supersededBy: pattern('id', 'date'),
    page: pattern('page', 'pages'),
  }),
  demo: demoMarkSchema,
  metadata: z.object({ title: text, subject: text, creator: text, producer: text, language: text, keywords: z.array(z.string()) }),
});

/** A parsed, validated verification-record layout. */
export type VerificationRecordTemplate = z.infer<typeof templateSchema>;

/**
 * Validates a layout read from `templates/verification-record.json`; throws naming every bad key.
 *
 * @example
 * import layout from '../../templates/verification-record.json' with { type: 'json' };
 * const template = parseVerificationRecordTemplate(layout);
 */
export function parseVerificationRecordTemplate(json: unknown): VerificationRecordTemplate {
  const parsed = templateSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid verification record template — ${problems.join('; ')}`);
  }
  return parsed.data;
}
