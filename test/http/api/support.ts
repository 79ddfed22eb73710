/**
 * The JSON API in-process, for test/http/api/*: `createApp(deps)` over an in-memory SQLite with the demo keys,
 * answered by `app.request()` — no port, no child process. `openApi()` hands back the RunningServer shape the
 * e2e support takes (its `fetch` is `app.request`), so test/support/workflow.ts (`setUpWorkflow`, `client`,
 * `addPerson`), journey.ts (`caseAtDepartment`) and fixtures.ts run unchanged against it. Its `cli` does the
 * operator's two set-up commands the way src/cli/main.ts does them: `org add` through the organisations
 * repository, `token create` through services/tokens (createPerson, createToken).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../../src/entry/config.js';
import { openNodeContext, type NodeContext } from '../../../src/entry/nodeContext.js';
import { createApp } from '../../../src/http/app.js';
import { isOrganisationKind } from '../../../src/domain/routing.js';
import { createPerson, createToken, ROLES, type Role } from '../../../src/services/tokens.js';
import { ROOT, type RunningServer } from '../../support/server.js';
import type { Person } from '../../support/workflow.js';

export { HOSTILE, LONG, RARE } from '../../storage/repoSupport.js';
/** Control characters a form field must never carry through: NUL, BEL, ESC, a bidi override. */
export const CONTROL = 'a\u0000b\u0007c\u001b[31md\u202ee';
/** A token of the right shape that the service never issued. */
export const UNKNOWN_TOKEN = `ect_${'x'.repeat(43)}`;

export interface Answer {
  status: number;
  /** the media type without parameters */
  mediaType: string;
  headers: Headers;
  bytes: Uint8Array;
  /** the body as UTF-8, a BOM kept */
  text: string;
  /** the parsed body when it is JSON (problem+json included), else undefined */
  body: any;
}

export interface CallOptions {
  /** a JSON body (sent as application/json) */
  json?: unknown;
  /** a raw body, sent with the headers given */
  body?: string;
  headers?: Record<string, string>;
  /** the test clock's time (X-Ecert-Test-Now) */
  now?: string;
  /** Idempotency-Key */
  key?: string;
}

export interface InProcessApi extends RunningServer {
  app: ReturnType<typeof createApp>;
  context: NodeContext;
  /** One request as a person (a Person, a bare token, or null for none); the answer read once. */
  call(who: Person | string | null, method: string, path: string, options?: CallOptions): Promise<Answer>;
}

/** China time on a date (10:00), for the test clock. */
export const on = (date: string) => `${date}T10:00:00+08:00`;

/**
 * A fresh app over `:memory:` with the demo keys and the test clock; `env` adds settings (ECERT_LOOKUP_BURST …).
 * @example const api = await openApi(); const staff = await setUpWorkflow(api);
 */
export async function openApi(env: Record<string, string> = {}): Promise<InProcessApi> {
  const config = loadConfig({ ECERT_DB: ':memory:', ECERT_KEYS: join(ROOT, 'keys.example'), ECERT_TEST_CLOCK: '1', ECERT_PUBLIC_URL: 'http://ecert.test', ...env });
  const context = await openNodeContext(config);
  const app = createApp(context.deps);
  const { organisations } = context.deps;

  const cli: RunningServer['cli'] = async (args) => {
    const option = (name: string) => {
      const at = args.indexOf(`--${name}`);
      return at >= 0 ? args[at + 1] : undefined;
    };
    const now = new Date();
    if (args[0] === 'org' && args[1] === 'add') {
      const [code, name, kind] = [option('code'), option('name'), option('kind')];
      if (!code || !name || !isOrganisationKind(kind)) return { stdout: '', stderr: `org add: ${args.join(' ')}`, code: 2 };
      await organisations.upsert({ code, name, kind, parentCode: option('parent') ?? null }, now.toISOString());
      return { stdout: `organisation saved: ${code}\n`, stderr: '', code: 0 };
    }
    if (args[0] === 'token' && args[1] === 'create') {
      const [orgCode, role] = [option('org'), option('role')];
      if (!orgCode || !(ROLES as readonly string[]).includes(role ?? '')) return { stdout: '', stderr: `token create: ${args.join(' ')}`, code: 2 };
      const ctx = { organisations, now: () => now };
      const person = await createPerson(ctx, { orgCode, role: role as Role, name: option('name') ?? `${role}@${orgCode}` }, 'cli');
      return { stdout: `${await createToken(ctx, person, null)}\n`, stderr: '', code: 0 };
    }
    return { stdout: '', stderr: `not offered in-process: ${args.join(' ')}`, code: 2 };
  };

  const fetchInProcess = async (url: string, init: RequestInit) => app.request(url, init);

  const call: InProcessApi['call'] = async (who, method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = typeof who === 'string' ? who : who?.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.json !== undefined) headers['Content-Type'] ??= 'application/json';
    if (options.now) headers['X-Ecert-Test-Now'] = options.now;
    if (options.key) headers['Idempotency-Key'] = options.key;
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    const res = await app.request(`${config.publicUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // a CSV's BOM is part of the answer
    const mediaType = (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
    let parsed: unknown;
    if (/json$/.test(mediaType) && text !== '') parsed = JSON.parse(text); // a HEAD or 204 has no body
    return { status: res.status, mediaType, headers: res.headers, bytes, text, body: parsed };
  };

  return {
    target: 'node',
    baseUrl: config.publicUrl,
    dir: '',
    dbPath: ':memory:',
    env: {},
    app,
    context,
    call,
    cli,
    fetch: fetchInProcess,
    token: async (org, role) => {
      const made = await cli(['token', 'create', '--org', org, '--role', role]);
      if (made.code !== 0) throw new Error(made.stderr);
      return made.stdout.trim();
    },
    stop: async () => context.close(),
  };
}

/** A person made straight from a token (for tokens from `api.token`). */
export const holder = (token: string, name = ''): Person => ({ token, id: '', name });

/**
 * The answer is a problem+json refusal with `status` (and `code` when given), its message in Chinese and English.
 * @example expectProblem(await api.call(null, 'GET', '/api/v1/audit'), 401, 'unauthorized');
 */
export function expectProblem(answer: Answer, status: number, code?: string): void {
  expect(answer.status, answer.text.slice(0, 400)).toBe(status);
  expect(answer.mediaType).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, message: { zh: expect.stringMatching(/\p{Script=Han}/u), en: expect.any(String) } });
  expect(answer.body.message.en.length).toBeGreaterThan(0);
  if (code) expect(answer.body.code).toBe(code);
}

/** 401 without a token (the challenge) and with one the service never issued (invalid_token). */
export async function expectTokenRequired(api: InProcessApi, method: string, path: string, options: CallOptions = {}): Promise<void> {
  const none = await api.call(null, method, path, options);
  expectProblem(none, 401, 'unauthorized');
  expect(none.headers.get('WWW-Authenticate')).toBe('Bearer realm="ecert"');
  const unknown = await api.call(UNKNOWN_TOKEN, method, path, options);
  expectProblem(unknown, 401, 'unauthorized');
  expect(unknown.headers.get('WWW-Authenticate')).toBe('Bearer realm="ecert", error="invalid_token"');
}

/** Never a 500 (nor any 5xx): a refusal in words or an answer. */
/** Every security header of http/middleware/session.ts, whoever set it (the app's middleware, or the Node server). */
export function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('same-origin');
  expect(headers.get('permissions-policy')).toContain('camera=()');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
}

export function expectNoServerError(answer: Answer): void {
  expect(answer.status, `${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
}

/** How many of each status. */
export const tally = (answers: Answer[]) => answers.reduce<Record<number, number>>((t, a) => ({ ...t, [a.status]: (t[a.status] ?? 0) + 1 }), {});

/**
 * A resident ID number that passes GB 11643-1999 (Nanning, 450103), its 17th digit agreeing with `gender`;
 * `serial` (0–49) tells holders born the same day apart.
 * @example residentId('19850101', 1, 'female') // '450103198501010026'
 */
export function residentId(birth: string, serial: number, gender: 'male' | 'female'): string {
  const order = serial * 2 + (gender === 'male' ? 1 : 0);
  const first17 = `450103${birth}${String(order).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}
