/**
 * @module domain/organisationContact
 * How an employer reaches the issuing office (issue 12 A4: the verification page names the office and its
 * contact, and says what to do on 无效/不存在): a telephone number and a postal address, both optional. They
 * are the office's current contact, shown as read at verification time, never part of a signed certificate.
 */
import { DomainError } from './errors.js';

export interface OrganisationContact {
  phone?: string;
  address?: string;
}

export const CONTACT_PHONE_MAX = 40;
export const CONTACT_ADDRESS_MAX = 120;

// Digits with spaces, hyphens and parentheses, an optional leading +, and an optional extension 转123.
const PHONE = /^\+?[0-9 ()-]+(?:转[0-9]{1,8})?$/u;
// Control and format characters (RTL overrides, zero-width joiners) and line/paragraph separators.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const invalid = (field: string, zh: string, en: string) => new DomainError('validation_failed', { zh, en }, field);

/** Blank means "none": trimmed, NFC, and undefined when nothing is left. */
function cleaned(value: string | null | undefined): string | undefined {
  const text = (value ?? '').normalize('NFC').trim();
  return text === '' ? undefined : text;
}

/**
 * Checks and tidies a contact: throws `validation_failed` (field named by `fields`) for a phone that is not a
 * telephone number or longer than 40 characters, or an address longer than 120 characters or with control
 * characters. Blank or missing parts are left out.
 * @example checkOrganisationContact({ phone: '0771-1234567转801', address: '南宁市青秀区民族大道 1 号' })
 */
export function checkOrganisationContact(
  input: { phone?: string | null | undefined; address?: string | null | undefined },
  fields: { phone: string; address: string } = { phone: 'phone', address: 'address' },
): OrganisationContact {
  // Checked on the raw text first: a hidden character must not be trimmed away into acceptance.
  if (typeof input.phone === 'string' && HIDDEN.test(input.phone)) {
    throw invalid(fields.phone, '联系电话含有控制字符或不可见字符', 'The contact phone contains control or invisible characters');
  }
  if (typeof input.address === 'string' && HIDDEN.test(input.address)) {
    throw invalid(fields.address, '联系地址含有控制字符或不可见字符（如换行、文字方向控制符）', 'The contact address contains control or invisible characters (such as line breaks or direction overrides)');
  }
  const phone = cleaned(input.phone);
  const address = cleaned(input.address);
  if (phone !== undefined) {
    if (phone.length > CONTACT_PHONE_MAX) throw invalid(fields.phone, `联系电话不能超过 ${CONTACT_PHONE_MAX} 个字符`, `The contact phone may have at most ${CONTACT_PHONE_MAX} characters`);
    if (!PHONE.test(phone) || !/[0-9]/.test(phone.replace(/转[0-9]*$/u, ''))) {
      throw invalid(
        fields.phone,
        '联系电话只能包含数字、空格、连字符和括号，可以 + 开头，分机号写作“转123”，如 0771-1234567转801',
        'The contact phone may hold only digits, spaces, hyphens and parentheses, an optional leading +, and an extension written 转123, e.g. 0771-1234567转801',
      );
    }
  }
  if (address !== undefined && [...address].length > CONTACT_ADDRESS_MAX) {
    throw invalid(fields.address, `联系地址不能超过 ${CONTACT_ADDRESS_MAX} 个字符`, `The contact address may have at most ${CONTACT_ADDRESS_MAX} characters`);
  }
  return { ...(phone !== undefined ? { phone } : {}), ...(address !== undefined ? { address } : {}) };
}
