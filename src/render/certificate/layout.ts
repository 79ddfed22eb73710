/**
 * @module render/certificate/layout
 * Places everything on the certificate page from the template: frame, heading, the labelled fields,
 * photo, QR code, the authority's sign-off and its seal, and the closing note. Pure: the same document,
 * template and fonts always give the same marks.
 */

import type { LoadedFonts } from '../fonts.js';
import { issuedOn, printedNumber, printedValue } from './document.js';
import type { CertificateDocument } from './document.js';
import { qrSymbol } from '../qr.js';
import { layoutSeal } from './seal.js';
import type { CertificateTemplate } from './template.js';
import type { Mark } from '../lib/marks.js';
import { EM_BOTTOM, EM_TOP, Page } from '../lib/page.js';
import { containPhoto } from '../lib/photo.js';
import type { PhotoSize } from '../lib/photo.js';
import { hexColor, mm, type Rgb } from '../lib/units.js';
import { clean, fitText } from '../lib/wrap.js';

// If the fields overrun their area, everything in it shrinks by these steps before giving up on the limit.
const FIELD_SCALES = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];
// Space kept clear between a label and its value, and around an emphasised row's band.
const GUTTER_MM = 2;

/**
 * Lays out one certificate. Later marks paint over earlier ones; the seal comes last.
 *
 * @example
 * const marks = layoutCertificate(doc, template, await fontSet.load(), { width: 300, height: 400 });
 * const name = marks.find((m) => m.kind === 'text' && m.role === 'value:holder.name');
 */
export function layoutCertificate(
  doc: CertificateDocument,
  template: CertificateTemplate,
  fonts: LoadedFonts,
  photoSize?: PhotoSize,
): Mark[] {
  const page = new Page(template.page, fonts);
  const palette = {
    ink: hexColor(template.palette.ink),
    label: hexColor(template.palette.label),
    muted: hexColor(template.palette.muted),
    accent: hexColor(template.palette.accent),
    frame: hexColor(template.palette.frame),
    band: hexColor(template.palette.band),
    seal: hexColor(template.palette.seal),
  };
  return [
    ...layoutFrame(page, template.frame, palette.frame),
    ...layoutHeader(page, doc, template, palette),
    ...layoutFields(page, doc, template.fields, palette),
    ...layoutPhoto(page, template.photo, photoSize, palette),
    ...layoutQr(page, doc, template.qr, palette),
    ...layoutNote(page, template.note, palette.muted),
    ...layoutSignOff(page, doc, template, palette),
  ];
}

type Palette = Record<keyof CertificateTemplate['palette'], Rgb>;

function layoutFrame(page: Page, frame: CertificateTemplate['frame'], color: Rgb): Mark[] {
  const box = (inset: number, lineWidth: number): Mark => ({
    kind: 'rect',
    x: mm(inset),
    y: mm(inset),
    width: page.width - 2 * mm(inset),
    height: page.height - 2 * mm(inset),
    stroke: color,
    lineWidth,
  });
  return [box(frame.outerInsetMm, frame.outerWidthPt), box(frame.innerInsetMm, frame.innerWidthPt)];
}

function layoutHeader(page: Page, doc: CertificateDocument, template: CertificateTemplate, palette: Palette): Mark[] {
  const { heading, subheading, number, rule } = template;
  // The heading is letter-spaced, so it is set one character at a time.
  const chars = [...heading.text];
  const spacing = heading.letterSpacingEm * heading.sizePt;
  const widths = chars.map((c) => page.fonts.widthOf(c, heading.sizePt));
  const total = widths.reduce((sum, w) => sum + w, 0) + spacing * (chars.length - 1);
  let x = (page.width - total) / 2;
  const marks: Mark[] = chars.map((char, i) => {
    const mark = page.text(char, x, mm(heading.baselineMm), heading.sizePt, palette.accent, 'heading');
    x += (widths[i] ?? 0) + spacing;
    return mark;
  });
  marks.push(page.centred(subheading.text, page.width / 2, mm(subheading.baselineMm), subheading.sizePt, palette.muted, 'subheading'));
  marks.push(page.centred(`${number.label}：${printedNumber(doc)}`, page.width / 2, mm(number.baselineMm), number.sizePt, palette.ink, 'number'));
  const { identifier } = template;
  if (doc.identifier) marks.push(page.centred(`${identifier.label}：${doc.identifier}`, page.width / 2, mm(identifier.baselineMm), identifier.sizePt, palette.muted, 'identifier'));
  marks.push({ kind: 'line', x1: mm(rule.leftMm), x2: mm(rule.rightMm), y1: page.y(mm(rule.topMm)), y2: page.y(mm(rule.topMm)), color: palette.accent, thickness: rule.widthPt });
  return marks;
}

/**
 * The labelled fields, top to bottom. Each value shrinks, then wraps, to stay inside its column; if the
 * rows together overrun the area, the whole list is set smaller.
 */
function layoutFields(page: Page, doc: CertificateDocument, fields: CertificateTemplate['fields'], palette: Palette): Mark[] {
  let marks: Mark[] = [];
  for (const scale of FIELD_SCALES) {
    const { marks: laidOut, bottom } = layoutFieldRows(page, doc, fields, palette, scale);
    marks = laidOut;
    if (bottom <= mm(fields.bottomLimitMm)) break;
  }
  return marks;
}

function layoutFieldRows(
  page: Page,
  doc: CertificateDocument,
  fields: CertificateTemplate['fields'],
  palette: Palette,
  scale: number,
): { marks: Mark[]; bottom: number } {
  const measure = (text: string, size: number): number => page.fonts.widthOf(text, size);
  const labelX = mm(fields.leftMm);
  const labelWidth = mm(fields.labelWidthMm - GUTTER_MM);
  const valueX = labelX + mm(fields.labelWidthMm);
  const valueWidth = mm(fields.valueWidthMm);
  const gap = mm(fields.rowGapMm) * scale;
  const bands: Mark[] = [];
  const texts: Mark[] = [];
  let top = mm(fields.topMm);
  let bottom = top;
  for (const item of fields.items) {
    const printed = printedValue(doc, item.key);
    if (printed === undefined && item.optional) continue;
    const valueSize = (item.emphasis ? fields.emphasisSizePt : fields.valueSizePt) * scale;
    const value = fitText(
      clean(printed ?? ''),
      valueWidth,
      { size: valueSize, minSize: Math.min(fields.minValueSizePt, valueSize), maxLines: fields.maxLines },
      measure,
    );
    const labelSize = fields.labelSizePt * scale;
    const label = fitText(item.label, labelWidth, { size: labelSize, minSize: labelSize * 0.7, maxLines: 2 }, measure);
    const enSize = fields.labelEnSizePt * scale;
    const labelEn = fitText(item.labelEn, labelWidth, { size: enSize, minSize: enSize * 0.8, maxLines: 2 }, measure);

    // Label and value share their first baseline, whichever is set larger.
    const baseline = top + EM_TOP * Math.max(label.size, value.size);
    const valuePitch = value.size * fields.lineHeightEm;
    value.lines.forEach((line, i) => {
      const color = item.emphasis ? palette.accent : palette.ink;
      texts.push(page.text(line, valueX, baseline + i * valuePitch, value.size, color, `value:${item.key}`));
    });
    const labelPitch = label.size * fields.lineHeightEm;
    label.lines.forEach((line, i) => texts.push(page.text(line, labelX, baseline + i * labelPitch, label.size, palette.label, `label:${item.key}`)));
    const labelBottom = baseline + (label.lines.length - 1) * labelPitch;
    const enPitch = labelEn.size * 1.2;
    const enFirst = labelBottom + 0.15 * label.size + labelEn.size;
    labelEn.lines.forEach((line, i) => texts.push(page.text(line, labelX, enFirst + i * enPitch, labelEn.size, palette.muted, `labelEn:${item.key}`)));

    const rowBottom = Math.max(
      baseline + (Math.max(value.lines.length, 1) - 1) * valuePitch + EM_BOTTOM * value.size,
      labelEn.lines.length > 0 ? enFirst + (labelEn.lines.length - 1) * enPitch + EM_BOTTOM * labelEn.size : labelBottom + EM_BOTTOM * label.size,
    );
    if (item.emphasis) {
      // The original date and specialty are what the reconfirmation carries over (notice 二(二)4): band them.
      const pad = gap * 0.45;
      bands.push({ kind: 'rect', x: labelX - mm(GUTTER_MM), y: page.y(rowBottom + pad), width: valueX + valueWidth - labelX + mm(2 * GUTTER_MM), height: rowBottom - top + 2 * pad, fill: palette.band });
    }
    bottom = rowBottom;
    top = rowBottom + gap;
  }
  return { marks: [...bands, ...texts], bottom };
}

function layoutPhoto(page: Page, photo: CertificateTemplate['photo'], size: PhotoSize | undefined, palette: Palette): Mark[] {
  const box = { x: mm(photo.leftMm), y: page.y(mm(photo.topMm + photo.heightMm)), width: mm(photo.widthMm), height: mm(photo.heightMm) };
  const frame: Mark = { kind: 'rect', ...box, stroke: palette.frame, lineWidth: photo.frameWidthPt };
  const fitted = containPhoto(size, box);
  if (fitted) {
    // Whole and centred in the box.
    const { width, height } = fitted;
    return [{ kind: 'photo', x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height }, frame];
  }
  const centreX = box.x + box.width / 2;
  const middle = mm(photo.topMm + photo.heightMm / 2);
  // 照片 just above the box's middle, "Photo" just below, as on a paper form.
  return [
    frame,
    page.centred(photo.placeholder, centreX, middle + 2, 12, palette.label, 'photo:placeholder'),
    page.centred(photo.placeholderEn, centreX, middle + 13, 7, palette.muted, 'photo:placeholderEn'),
  ];
}

function layoutQr(page: Page, doc: CertificateDocument, qr: CertificateTemplate['qr'], palette: Palette): Mark[] {
  const symbol = qrSymbol(doc.verifyUrl);
  const size = mm(qr.sizeMm);
  const centreX = mm(qr.centerXMm);
  const quiet = (size / symbol.modules) * qr.quietZoneModules;
  const symbolTop = mm(qr.topMm);
  const below = symbolTop + size + quiet;
  const captionBaseline = below + EM_TOP * qr.captionSizePt;
  const enBaseline = captionBaseline + qr.captionSizePt * 1.15;
  const numberBaseline = enBaseline + qr.numberSizePt * 1.45;
  return [
    { kind: 'qr', symbol, x: centreX - size / 2, y: page.y(symbolTop + size), size, quietZoneModules: qr.quietZoneModules },
    page.centred(qr.caption, centreX, captionBaseline, qr.captionSizePt, palette.ink, 'qr:caption'),
    page.centred(qr.captionEn, centreX, enBaseline, qr.captionSizePt * 0.85, palette.muted, 'qr:captionEn'),
    page.centred(printedNumber(doc), centreX, numberBaseline, qr.numberSizePt, palette.ink, 'qr:number'),
  ];
}

function layoutNote(page: Page, note: CertificateTemplate['note'], color: Rgb): Mark[] {
  const width = mm(note.rightMm - note.leftMm);
  const fitted = fitText(note.text, width, { size: note.sizePt, minSize: note.sizePt * 0.8, maxLines: 3 }, (t, s) => page.fonts.widthOf(t, s));
  const pitch = fitted.size * note.lineHeightEm;
  return fitted.lines.map((line, i) => page.text(line, mm(note.leftMm), mm(note.topMm) + EM_TOP * fitted.size + i * pitch, fitted.size, color, 'note'));
}

/** The authority's name and the issuing date, bottom right, with the seal stamped over them. */
function layoutSignOff(page: Page, doc: CertificateDocument, template: CertificateTemplate, palette: Palette): Mark[] {
  const { authority } = template;
  const measure = (text: string, size: number): number => page.fonts.widthOf(text, size);
  const name = fitText(clean(doc.authority.name), mm(authority.maxWidthMm), { size: authority.sizePt, minSize: authority.minSizePt, maxLines: 2 }, measure);
  const blockWidth = Math.max(...name.lines.map((line) => measure(line, name.size)), 0);
  const centreX = mm(authority.rightMm) - blockWidth / 2;
  const firstBaseline = mm(authority.baselineMm);
  const pitch = name.size * 1.3;
  const marks: Mark[] = name.lines.map((line, i) => page.centred(line, centreX, firstBaseline + i * pitch, name.size, palette.ink, 'authority:name'));
  const dateBaseline = firstBaseline + (name.lines.length - 1) * pitch + mm(authority.dateGapMm) + EM_TOP * authority.dateSizePt;
  marks.push(page.centred(issuedOn(doc), centreX, dateBaseline, authority.dateSizePt, palette.ink, 'authority:date'));

  // Centred between the top of the name and the date's baseline, as a stamp over the sign-off.
  const middle = (firstBaseline - EM_TOP * name.size + dateBaseline) / 2 + mm(template.seal.offsetYMm);
  const sealCentre = { x: centreX + mm(template.seal.offsetXMm), y: page.y(middle) };
  marks.push(...layoutSeal(sealCentre, clean(doc.authority.name), template.seal, palette.seal, page.fonts));
  return marks;
}
