/**
 * The basis of a direct issuance and the holder's photo (issue 13 item 6): what a recorded decision must
 * hold — a number, a real date not after today, a reason, each bounded and printable — and that no
 * certificate goes without a photo (二(三)1(4)).
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { BASIS_REASON_MAX, checkDecisionBasis, requireHolderPhoto } from '../../src/domain/certificateBasis.js';

const TODAY = '2026-12-07';
const GOOD = { decisionNumber: '桂职办〔2019〕7号', decidedOn: '2019-06-30', reason: '2019年经确认的职称，补发电子证书' };

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('checkDecisionBasis', () => {
  it('accepts a decision and folds its texts as stored', () => {
    expect(checkDecisionBasis({ ...GOOD, reason: '  2019年经确认的职称，\u3000补发电子证书 ' }, TODAY)).toEqual({ kind: 'decision', ...GOOD, reason: '2019年经确认的职称， 补发电子证书' });
    expect(checkDecisionBasis({ ...GOOD, decidedOn: TODAY }, TODAY).decidedOn).toBe(TODAY);
  });

  it.each([
    ['no basis at all', undefined, 'basis', 'validation_failed'],
    ['no decision number', { ...GOOD, decisionNumber: '' }, 'basis.decisionNumber', 'validation_failed'],
    ['a decision number of spaces', { ...GOOD, decisionNumber: ' \u3000 ' }, 'basis.decisionNumber', 'validation_failed'],
    ['a decision number of 51 characters', { ...GOOD, decisionNumber: '号'.repeat(51) }, 'basis.decisionNumber', 'validation_failed'],
    ['a decision number with a direction override', { ...GOOD, decisionNumber: '桂职办\u202E〔2019〕7号' }, 'basis.decisionNumber', 'validation_failed'],
    ['a date tomorrow', { ...GOOD, decidedOn: '2026-12-08' }, 'basis.decidedOn', 'future_date'],
    ['no such date', { ...GOOD, decidedOn: '2026-02-30' }, 'basis.decidedOn', 'validation_failed'],
    ['a date as a number', { ...GOOD, decidedOn: 20190630 }, 'basis.decidedOn', 'validation_failed'],
    ['no reason', { ...GOOD, reason: undefined }, 'basis.reason', 'validation_failed'],
    ['a reason too long', { ...GOOD, reason: '补'.repeat(BASIS_REASON_MAX + 1) }, 'basis.reason', 'validation_failed'],
    ['a reason with a zero-width space', { ...GOOD, reason: '补发\u200B电子证书' }, 'basis.reason', 'validation_failed'],
  ])('refuses %s, naming the field in zh and en', (_label, basis, field, code) => {
    const error = refusal(() => checkDecisionBasis(basis as never, TODAY));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.zh).toMatch(/\p{Script=Han}/u);
    expect(error.en).toMatch(/[a-z]/);
  });
});

describe('requireHolderPhoto', () => {
  it('passes a photo through', () => {
    expect(requireHolderPhoto('data:image/jpeg;base64,/9j/', 'holder.photo')).toBe('data:image/jpeg;base64,/9j/');
  });

  it.each([undefined, null, ''])('refuses %s in words, citing 二(三)1(4)', (photo) => {
    const error = refusal(() => requireHolderPhoto(photo, 'holder.photo'));
    expect(error).toMatchObject({ code: 'validation_failed', field: 'holder.photo', details: { clause: '二(三)1(4)' } });
    expect(error.zh).toContain('二(三)1(4)');
  });
});
