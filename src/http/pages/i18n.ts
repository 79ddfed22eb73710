/**
 * @module http/pages/i18n
 * Pages speak Simplified Chinese first; `lang=en` (a cookie set by the switch in the header) turns them to
 * English. Every label is written as a pair, so a page never shows a half-translated sentence.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export type Lang = 'zh' | 'en';

/** A label in both languages. */
export interface Text {
  zh: string;
  en: string;
}

export const LANG_COOKIE = 'ecert_lang';

export function langOf(c: Context): Lang {
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** @example t('zh', { zh: '登录', en: 'Sign in' }) // '登录' */
export function t(lang: Lang, text: Text): string {
  return lang === 'en' ? text.en : text.zh;
}
