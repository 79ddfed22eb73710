/**
 * The issuing office's contact (issue 12 A4): what a phone and an address may hold, against hostile input —
 * control characters, direction overrides, markup, 10 KB strings.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkOrganisationContact } from '../../src/domain/organisationContact.js';

function refusal(input: Parameters<typeof checkOrganisationContact>[0]): DomainError {
  try {
    checkOrganisationContact(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('checkOrganisationContact', () => {
  it.each(['0771-1234567', '+86 771 123 4567', '(0771) 123-4567', '0771-1234567转801', '12333'])('accepts the phone %s', (phone) => {
    expect(checkOrganisationContact({ phone })).toEqual({ phone });
  });

  it('trims, normalises to NFC and leaves blank parts out', () => {
    expect(checkOrganisationContact({ phone: '  0771-1234567 ', address: '  ' })).toEqual({ phone: '0771-1234567' });
    expect(checkOrganisationContact({ phone: null, address: 'Cafe\u0301 路 1 号' })).toEqual({ address: 'Café 路 1 号' });
    expect(checkOrganisationContact({})).toEqual({});
  });

  it('accepts an address of 120 characters, counting characters not code units', () => {
    const address = '𠀀'.repeat(120);
    expect(checkOrganisationContact({ address })).toEqual({ address });
    expect(refusal({ address: `${address}路` }).field).toBe('address');
  });

  it.each([
    ['letters', 'call us'],
    ['markup', '<script>alert(1)</script>'],
    ['no digit', '+() -'],
    ['a second plus', '+86+771'],
    ['an extension without digits', '0771转'],
    ['41 characters', '1'.repeat(41)],
    ['10 KB', '1'.repeat(10_240)],
    ['a newline', '0771\n1234567'],
    ['a NUL', '0771\u00001234567'],
    ['an RTL override', '\u202E7654321-1770'],
    ['a zero-width space', '0771\u200B1234567'],
  ])('refuses a phone with %s, in Chinese and English', (_what, phone) => {
    const error = refusal({ phone });
    expect(error.code).toBe('validation_failed');
    expect(error.field).toBe('phone');
    expect(error.zh).toMatch(/联系电话/);
    expect(error.en).toMatch(/phone/);
  });

  it.each([
    ['10 KB', '路'.repeat(10_240)],
    ['a newline', '民族大道\n1 号'],
    ['a tab', '民族大道\t1 号'],
    ['an RTL override', '民族大道 \u202Egnp.exe'],
    ['a line separator', '民族大道\u20281 号'],
    ['DEL', '民族大道\u007F'],
  ])('refuses an address with %s', (_what, address) => {
    const error = refusal({ address });
    expect(error.code).toBe('validation_failed');
    expect(error.field).toBe('address');
    expect(error.zh).toMatch(/联系地址/);
  });

  it('keeps markup in an address as text (escaped where shown)', () => {
    expect(checkOrganisationContact({ address: '<script>alert(1)</script>' })).toEqual({ address: '<script>alert(1)</script>' });
  });

  it('names the fields it was told to', () => {
    expect(() => checkOrganisationContact({ phone: 'x' }, { phone: 'contactPhone', address: 'contactAddress' })).toThrow(expect.objectContaining({ field: 'contactPhone' }));
  });
});
