/**
 * @module domain/errors
 * One error type for every rule the service refuses to break. Each carries a stable `code` clients can
 * switch on, the failing `field` (a JSON path such as `holder.idNumber`) where there is one, and a message
 * in Chinese and English. HTTP status is decided once, in the HTTP layer, from the code.
 */

export type ProblemCode =
  | 'invalid_json'
  | 'json_too_deep'
  | 'validation_failed'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_id_number'
  | 'invalid_photo'
  | 'active_content'
  | 'unknown_series'
  | 'unknown_title'
  | 'future_date'
  | 'undrawable_character'
  | 'level_not_authorised'
  | 'not_an_issuing_authority'
  | 'rank_order'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'already_revoked'
  | 'not_eligible'
  | 'materials_missing'
  | 'conflict'
  | 'idempotency_conflict'
  | 'rate_limited'
  | 'uscc_missing'
  | 'keys_unavailable'
  | 'demo_keys_in_production'
  | 'storage_full'
  | 'file_damaged'
  | 'busy'
  | 'internal';

export interface Message {
  zh: string;
  en: string;
}

/**
 * @example
 * throw new DomainError('invalid_id_number', { zh: '身份证号码校验位错误', en: 'ID number check digit is wrong' }, 'holder.idNumber');
 */
export class DomainError extends Error {
  readonly code: ProblemCode;
  readonly field: string | undefined;
  readonly zh: string;
  readonly en: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ProblemCode, message: Message, field?: string, details?: Record<string, unknown>) {
    super(message.en);
    this.name = 'DomainError';
    this.code = code;
    this.zh = message.zh;
    this.en = message.en;
    this.field = field;
    this.details = details;
  }
}
