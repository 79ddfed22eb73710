/**
 * @module render/lib/undrawable
 * The refusal every renderer gives for a value its fonts cannot draw: a printed record never shows a
 * blank box (.notdef) where a character should be.
 */

import { DomainError } from '../../domain/errors.js';
import type { LoadedFonts } from '../fonts.js';

/**
 * Throws `undrawable_character` for the first field holding a character neither face has, naming the
 * field (its JSON path), its printed label and each character with its code point.
 *
 * @example
 * refuseUndrawable([{ field: 'holder.name', label: '姓名', value: '张三\u{E000}' }], fonts);
 * // DomainError undrawable_character, field 'holder.name', details.codePoints ['U+E000']
 */
export function refuseUndrawable(values: Iterable<{ field: string; label: string; value: string }>, fonts: LoadedFonts): void {
  for (const { field, label, value } of values) {
    const missing = fonts.undrawable(value);
    if (missing.length === 0) continue;
    const codePoints = missing.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
    const quoted = missing.map((c, i) => `「${c}」(${codePoints[i]})`).join('、');
    throw new DomainError(
      'undrawable_character',
      { zh: `${label}含有证书字体无法显示的字符：${quoted}`, en: `${field} contains characters the certificate fonts cannot draw: ${codePoints.join(', ')}` },
      field,
      { characters: missing, codePoints },
    );
  }
}
