/**
 * @module http/pages/records/resultBadge
 * A 核实 record's result as a badge that cannot be misread (issue 18 item 9): 真实有效 green with ✓, 不真实 red
 * with ✗ and in bold, 无法核实 amber with ? — the mark and the words say it without the colour, for anyone who
 * cannot tell red from green and on a black-and-white printout.
 */
import type { FC } from 'hono/jsx';
import { VERIFICATION_RESULT_NAMES, type VerificationResult } from '../../../domain/verificationRecord.js';
import { t, type Lang } from '../i18n.js';

const MARKS: Record<VerificationResult, string> = { genuine: '✓', not_genuine: '✗', unverifiable: '?' };

export const ResultBadge: FC<{ lang: Lang; result: VerificationResult }> = ({ lang, result }) => (
  <span class={`badge res-${result}`}>
    <span aria-hidden="true">{MARKS[result]} </span>
    {t(lang, VERIFICATION_RESULT_NAMES[result])}
  </span>
);
