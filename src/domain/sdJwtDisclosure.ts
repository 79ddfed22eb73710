/**
 * @module domain/sdJwtDisclosure
 * What a holder may choose to show in an SD-JWT VC of their certificate (issue 17 item 3, selective
 * disclosure). Every fact of the certificate is a separate disclosure the holder may keep or drop when
 * presenting; the full ID number is put in only when the holder asks for it — otherwise only the masked
 * number is there, as wherever a stranger reads a certificate (notice 四(四), personal data; 二(二)4 the
 * certificate as the holder's proof of the title). Pure rules: the claim names and reading the holder's choice.
 */
import { DomainError } from './errors.js';

/** The claims issued as selectively disclosable disclosures (the certificate's facts, 二(二)4). */
export const SD_JWT_CLAIMS = [
  'name',
  'gender',
  'id_number_masked',
  'title',
  'series',
  'level',
  'specialty',
  'issuing_authority',
  'issued_at',
  'originally_acquired_on',
  'decision_number',
  'decided_on',
  'licence_identifier',
] as const;

/** What the holder may ask to add: only the full ID number is withheld by default (四(四)). */
export const SD_JWT_OPTIONAL = ['idNumber'] as const;
export type SdJwtOptional = (typeof SD_JWT_OPTIONAL)[number];

/**
 * Reads `?disclose=idNumber` (comma-separated, may be empty). Anything unknown is refused in words.
 * @example parseDisclose('idNumber') // { idNumber: true }
 * @example parseDisclose(undefined) // { idNumber: false }
 */
export function parseDisclose(raw: string | undefined): { idNumber: boolean } {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!(SD_JWT_OPTIONAL as readonly string[]).includes(item)) {
      throw new DomainError('validation_failed', { zh: '只能选择额外显示完整身份证件号码（idNumber）', en: 'Only the full ID number (idNumber) may be added' }, 'disclose', { allowed: [...SD_JWT_OPTIONAL] });
    }
  }
  return { idNumber: items.includes('idNumber') };
}
