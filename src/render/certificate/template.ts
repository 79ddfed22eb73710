/**
 * @module render/certificate/template
 * The certificate layout as data (`templates/certificate.json`): positions in millimetres from the top-left
 * of the page, type sizes in points and colours. The fields' labels come from the one table
 * (domain/labels.ts `CERTIFICATE_FIELD_LABELS`), which the verification page reads too; a deployment's layout
 * may still name a field otherwise (`label`, `labelEn` on an item). Parsed once at start-up so a broken template
 * stops the service with a message naming the bad key, instead of a misprinted certificate later.
 */

import { z } from 'zod';
import { CERTIFICATE_FIELD_KEYS, CERTIFICATE_FIELD_LABELS } from '../../domain/labels.js';
import { demoMarkSchema } from '../lib/demoMark.js';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #RRGGBB');
const mm = z.number().min(0).max(1000);
const pt = z.number().positive().max(200);
const text = z.string().min(1);

const templateSchema = z.object({
  page: z.object({ widthMm: mm, heightMm: mm }),
  palette: z.object({
    ink: hexColor,
    label: hexColor,
    muted: hexColor,
    accent: hexColor,
    frame: hexColor,
    band: hexColor,
    seal: hexColor,
  }),
  frame: z.object({ outerInsetMm: mm, outerWidthPt: pt, innerInsetMm: mm, innerWidthPt: pt }),
  heading: z.object({ text, sizePt: pt, baselineMm: mm, letterSpacingEm: z.number().min(0).max(2) }),
  subheading: z.object({ text, sizePt: pt, baselineMm: mm }),
  number: z
    .object({ label: text.optional(), sizePt: pt, baselineMm: mm })
    .transform((n) => ({ ...n, label: n.label ?? CERTIFICATE_FIELD_LABELS.number.zh })),
  // Issue 19 item 1: the 电子证照标识 in small text under the number (certificates issued without one print nothing).
  identifier: z.object({ label: text, sizePt: pt, baselineMm: mm }).default({ label: '电子证照标识', sizePt: 6.5, baselineMm: 48.4 }),
  rule: z.object({ topMm: mm, leftMm: mm, rightMm: mm, widthPt: pt }),
  fields: z.object({
    leftMm: mm,
    topMm: mm,
    labelWidthMm: mm,
    valueWidthMm: mm,
    bottomLimitMm: mm,
    labelSizePt: pt,
    labelEnSizePt: pt,
    valueSizePt: pt,
    emphasisSizePt: pt,
    minValueSizePt: pt,
    maxLines: z.number().int().min(1).max(6),
    lineHeightEm: z.number().min(1).max(3),
    rowGapMm: mm,
    items: z
      .array(
        z
          .object({
            key: z.enum(CERTIFICATE_FIELD_KEYS),
            label: text.optional(),
            labelEn: z.string().optional(),
            emphasis: z.boolean().optional(),
            optional: z.boolean().optional(),
          })
          .transform((item) => ({ ...item, label: item.label ?? CERTIFICATE_FIELD_LABELS[item.key].zh, labelEn: item.labelEn ?? CERTIFICATE_FIELD_LABELS[item.key].en })),
      )
      .min(1),
  }),
  photo: z.object({
    leftMm: mm,
    topMm: mm,
    widthMm: mm,
    heightMm: mm,
    frameWidthPt: pt,
    placeholder: text,
    placeholderEn: z.string(),
  }),
  qr: z.object({
    centerXMm: mm,
    topMm: mm,
    sizeMm: z.number().min(30, 'the QR symbol must be at least 30 mm to scan from a phone').max(100),
    quietZoneModules: z.number().int().min(4),
    caption: text,
    captionEn: z.string(),
    captionSizePt: pt,
    numberSizePt: pt,
  }),
  authority: z.object({
    rightMm: mm,
    baselineMm: mm,
    maxWidthMm: mm,
    sizePt: pt,
    minSizePt: pt,
    dateSizePt: pt,
    dateGapMm: mm,
  }),
  seal: z.object({
    diameterMm: mm,
    offsetXMm: z.number(),
    offsetYMm: z.number(),
    ringWidthPt: pt,
    innerRingGapPt: z.number().min(0),
    innerRingWidthPt: z.number().min(0),
    starRadiusMm: mm,
    starOffsetYMm: z.number(),
    arcTextSizePt: pt,
    arcTextMinSizePt: pt,
    arcMaxSpanDeg: z.number().min(60).max(330),
    arcGapPt: z.number().min(0),
    bottomText: text,
    bottomSizePt: pt,
    bottomOffsetYMm: z.number(),
    opacity: z.number().min(0.1).max(1),
  }),
  note: z.object({ leftMm: mm, rightMm: mm, topMm: mm, sizePt: pt, lineHeightEm: z.number().min(1).max(3), text }),
  demo: demoMarkSchema,
  metadata: z.object({ title: text, subject: text, creator: text, producer: text, language: text, keywords: z.array(z.string()) }),
});

/** A parsed, validated certificate layout. */
export type CertificateTemplate = z.infer<typeof templateSchema>;

/**
 * Validates a layout read from `templates/certificate.json`; throws naming every bad key.
 *
 * @example
 * import layout from '../../../templates/certificate.json' with { type: 'json' };
 * const template = parseCertificateTemplate(layout);
 */
export function parseCertificateTemplate(json: unknown): CertificateTemplate {
  const parsed = templateSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid certificate template — ${problems.join('; ')}`);
  }
  return parsed.data;
}
