/**
 * @module render/lib/units
 * Templates speak millimetres and #RRGGBB; PDF speaks points (1/72 in) and 0–1 RGB.
 */

/** An RGB colour with components in 0–1, as pdf-lib takes them. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

const POINTS_PER_MM = 72 / 25.4;

/**
 * @example mm(210) // 595.28 — the width of A4 in points
 */
export function mm(millimetres: number): number {
  return millimetres * POINTS_PER_MM;
}

/**
 * @example hexColor('#ff0000') // { r: 1, g: 0, b: 0 }
 */
export function hexColor(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: ((value >> 16) & 0xff) / 255, g: ((value >> 8) & 0xff) / 255, b: (value & 0xff) / 255 };
}
