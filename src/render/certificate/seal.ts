/**
 * @module render/certificate/seal
 * The issuing authority's seal, drawn as vectors: a red ring, a five-pointed star, the authority's name
 * along the upper arc and the seal's purpose (职称专用章) beneath the star — the form of a Chinese official
 * seal. It is a visual cue only; the certificate's authenticity rests on the embedded signature.
 */

import type { LoadedFonts } from '../fonts.js';
import type { CertificateTemplate } from './template.js';
import type { Ink, Mark } from '../lib/marks.js';
import { mm, type Rgb } from '../lib/units.js';

// Noto CJK ideographs sit in an em box from −0.12 em to 0.88 em around the baseline.
const EM_TOP = 0.88;
const EM_MIDDLE = 0.38;

/**
 * Lays out the seal centred on (`x`, `y`) in page points. The name's characters shrink (down to the
 * template's minimum) until they fit the arc, so a 20-character office name still reads.
 *
 * @example
 * const marks = layoutSeal({ x: 420, y: 150 }, '广西壮族自治区职称改革工作领导小组办公室', template.seal, hexColor('#d0021b'), fonts);
 */
export function layoutSeal(
  center: { x: number; y: number },
  authorityName: string,
  spec: CertificateTemplate['seal'],
  color: Rgb,
  fonts: LoadedFonts,
): Mark[] {
  const ink: Ink = { opacity: spec.opacity, multiply: true };
  const radius = mm(spec.diameterMm) / 2;
  const marks: Mark[] = [
    { kind: 'circle', x: center.x, y: center.y, radius: radius - spec.ringWidthPt / 2, stroke: color, lineWidth: spec.ringWidthPt, role: 'seal:ring', ...ink },
  ];
  if (spec.innerRingWidthPt > 0) {
    const inner = radius - spec.ringWidthPt - spec.innerRingGapPt - spec.innerRingWidthPt / 2;
    marks.push({ kind: 'circle', x: center.x, y: center.y, radius: inner, stroke: color, lineWidth: spec.innerRingWidthPt, ...ink });
  }

  const starCenter = { x: center.x, y: center.y + mm(spec.starOffsetYMm) };
  marks.push({ kind: 'polygon', points: starPoints(starCenter, mm(spec.starRadiusMm)), fill: color, ...ink });

  const textTop = radius - spec.ringWidthPt - spec.innerRingGapPt - spec.innerRingWidthPt - spec.arcGapPt;
  marks.push(...arcText(center, authorityName, textTop, spec, color, ink, fonts));

  const bottomWidth = fonts.widthOf(spec.bottomText, spec.bottomSizePt);
  marks.push({
    kind: 'text',
    text: spec.bottomText,
    x: center.x - bottomWidth / 2,
    y: center.y - mm(spec.bottomOffsetYMm),
    size: spec.bottomSizePt,
    color,
    role: 'seal:bottom',
    ...ink,
  });
  return marks;
}

/** The name along the upper arc, read left to right, each character upright relative to the rim. */
function arcText(
  center: { x: number; y: number },
  name: string,
  textTop: number,
  spec: CertificateTemplate['seal'],
  color: Rgb,
  ink: Ink,
  fonts: LoadedFonts,
): Mark[] {
  const chars = [...name.replace(/\s+/gu, '')];
  if (chars.length === 0) return [];
  const maxSpan = (spec.arcMaxSpanDeg * Math.PI) / 180;
  // Largest size whose n one-em advances fit maxSpan at the glyphs' mid radius, textTop − (0.88 − 0.38) em.
  const fitting = (maxSpan * textTop) / (chars.length + (EM_TOP - EM_MIDDLE) * maxSpan);
  const size = Math.max(spec.arcTextMinSizePt, Math.min(spec.arcTextSizePt, fitting));
  const baseline = textTop - EM_TOP * size;
  const middle = baseline + EM_MIDDLE * size;
  // Short names keep a natural spacing (1.25 em) rather than being spread over the whole arc.
  const span = Math.min(maxSpan, (chars.length * size * 1.25) / middle);
  const step = span / chars.length;
  return chars.map((char, index): Mark => {
    const theta = Math.PI / 2 + span / 2 - (index + 0.5) * step;
    const rotation = theta - Math.PI / 2;
    const halfWidth = fonts.widthOf(char, size) / 2;
    return {
      kind: 'text',
      text: char,
      x: center.x + baseline * Math.cos(theta) - halfWidth * Math.cos(rotation),
      y: center.y + baseline * Math.sin(theta) - halfWidth * Math.sin(rotation),
      size,
      color,
      rotateDeg: (rotation * 180) / Math.PI,
      role: 'seal:arc',
      ...ink,
    };
  });
}

/** A five-pointed star, one point straight up; inner radius from the regular pentagram (0.382). */
function starPoints(center: { x: number; y: number }, outer: number): Array<readonly [number, number]> {
  const inner = outer * 0.381966;
  const points: Array<readonly [number, number]> = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const angle = Math.PI / 2 + (k * Math.PI) / 5;
    points.push([center.x + r * Math.cos(angle), center.y + r * Math.sin(angle)]);
  }
  return points;
}
