/**
 * @module http/problem
 * RFC 9457 problem details: every error leaves the service as `application/problem+json` with a stable
 * `code`, the failing `field`, and a message in Chinese and English. The status of each code is decided
 * here, once.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ProblemCode, type Message } from '../domain/errors.js';

export const STATUS_OF: Record<ProblemCode, ContentfulStatusCode> = {
  invalid_json: 400,
  json_too_deep: 400,
  validation_failed: 422,
  body_too_large: 413,
  unsupported_media_type: 415,
  invalid_id_number: 422,
  invalid_photo: 422,
  active_content: 422,
  unknown_series: 422,
  unknown_title: 422,
  future_date: 422,
  undrawable_character: 422,
  level_not_authorised: 403,
  not_an_issuing_authority: 403,
  rank_order: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  already_revoked: 409,
  not_eligible: 422,
  materials_missing: 409,
  conflict: 409,
  idempotency_conflict: 422,
  rate_limited: 429,
  uscc_missing: 409,
  keys_unavailable: 503,
  demo_keys_in_production: 503,
  storage_full: 507,
  file_damaged: 503,
  busy: 503,
  internal: 500,
};

export interface FieldError {
  field: string;
  message: Message;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  field?: string;
  message: Message;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemOf(code: ProblemCode, message: Message, field?: string, extra?: Record<string, unknown>): Problem {
  return {
    type: `urn:ecert:problem:${code}`,
    title: message.en,
    status: STATUS_OF[code],
    detail: message.zh,
    code,
    ...(field ? { field } : {}),
    message,
    ...extra,
  };
}

export function problemResponse(c: Context, problem: Problem, headers?: Record<string, string>): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
}

export function domainProblem(error: DomainError): Problem {
  return problemOf(error.code, { zh: error.zh, en: error.en }, error.field, error.details);
}
