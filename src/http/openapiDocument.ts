/**
 * @module http/openapiDocument
 * The API document served at /openapi.json (and listed at /docs): generated once from the routes' own
 * definitions, then completed in one place with what no single route declares — the answers app.ts gives
 * around every route (a body that is not JSON, too large or of another type; a missing or unknown token;
 * input that fails its schema; a server fault), the two probes app.ts answers itself (/healthz, /livez) — and
 * with the generator's one known flaw repaired: it writes a RegExp with flags as `source/flags`
 * (zod-to-openapi 9.1 strips only the slashes of `toString()`), a pattern no JSON Schema validator reads as
 * meant.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';

type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;
type Node = Record<string, unknown>;

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const textHeader = (description: string) => ({ description, required: true, schema: { type: 'string' } });

/** The answers of app.ts and its middleware, each described once and referenced by the operations it concerns. */
const SHARED_RESPONSES = {
  InvalidJson: { description: 'the body is not valid JSON (invalid_json), or nests deeper than 32 levels (json_too_deep, maxDepth)', content: problem },
  BodyTooLarge: { description: 'the body is larger than this endpoint accepts (body_too_large; maxBytes says how large it may be)', content: problem },
  UnsupportedMediaType: { description: 'the body is not application/json (unsupported_media_type)', content: problem },
  Unauthorized: {
    description: 'no bearer token, or one that is unknown or revoked (unauthorized)',
    headers: { 'WWW-Authenticate': textHeader('Bearer realm="ecert", with error="invalid_token" for an unknown token') },
    content: problem,
  },
  ValidationFailed: { description: 'a parameter or a field of the body is invalid: `field` and `errors` name each one (validation_failed)', content: problem },
  RateLimited: {
    description: 'too many requests without the QR proof from this client (rate_limited): wait `Retry-After` seconds',
    headers: { 'Retry-After': { description: 'seconds until the next request is allowed', required: true, schema: { type: 'integer', minimum: 1 } } },
    content: problem,
  },
  ServerError: {
    description:
      'the service could not answer: busy (503, a locked database, a write that collided with another, or a full PDF render queue; Retry-After), storage_full (507, the disk is full; nothing was saved), keys_unavailable (503), or a fault (500 internal, logged); retry later',
    headers: { 'Retry-After': { description: 'seconds to wait before retrying (busy)', schema: { type: 'integer', minimum: 1 } } },
    content: problem,
  },
} as const;

const ref = (name: keyof typeof SHARED_RESPONSES) => ({ $ref: `#/components/responses/${name}` });
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * A pattern as zod-to-openapi wrote it, without the flags it leaked. RegExp `source` escapes every `/`, so an
 * unescaped one can only be the separator before the flags. `u` is what JSON Schema 2020-12 patterns mean
 * already (ECMA-262 with Unicode); any other flag cannot be said in JSON Schema and is refused loudly.
 * @example patternWithoutFlags('^[^\\p{Cc}]*$/u') // '^[^\\p{Cc}]*$'
 */
export function patternWithoutFlags(pattern: string): string {
  const slash = pattern.lastIndexOf('/');
  if (slash < 0 || !/^[dgimsuvy]+$/.test(pattern.slice(slash + 1))) return pattern;
  const backslashes = /\\*$/.exec(pattern.slice(0, slash))![0].length;
  if (backslashes % 2 === 1) return pattern; // an escaped slash: part of the pattern
  const flags = pattern.slice(slash + 1);
  if (flags !== 'u') throw new Error(`pattern ${pattern}: the flags "${flags}" cannot be written in a JSON Schema pattern`);
  return pattern.slice(0, slash);
}

function repairPatterns(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(repairPatterns);
  if (!node || typeof node !== 'object') return;
  const object = node as Node;
  if (typeof object.pattern === 'string') object.pattern = patternWithoutFlags(object.pattern);
  for (const value of Object.values(object)) repairPatterns(value);
}

/** Adds the app-wide answers an operation can get and does not declare itself. */
function completeOperation(path: string, method: string, operation: Node): void {
  const responses = (operation.responses ??= {}) as Node;
  const add = (status: string, name: keyof typeof SHARED_RESPONSES) => {
    if (!(status in responses)) responses[status] = ref(name);
  };
  const body = operation.requestBody as { content?: Node } | undefined;
  if (path.startsWith('/api/') && (method === 'post' || method === 'put')) {
    add('415', 'UnsupportedMediaType'); // app.ts: a POST or PUT under /api/ must be application/json
    add('413', 'BodyTooLarge');
    if (body?.content?.['application/json']) add('400', 'InvalidJson');
  }
  const security = (operation.security ?? []) as Node[];
  if (security.some((requirement) => 'bearer' in requirement)) add('401', 'Unauthorized');
  if (body || (operation.parameters as unknown[] | undefined)?.length) add('422', 'ValidationFailed'); // the app's defaultHook
  add('5XX', 'ServerError');
}

/** The probes app.ts answers itself (not through a route definition), described for monitors. */
function registerProbes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'getReadiness',
    summary: '就绪检查 / Readiness: the database reads and takes a write, the keys load, an issuing authority exists',
    security: [],
    responses: {
      200: {
        description: 'ready',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                status: { type: 'string', enum: ['ok'] },
                authorities: { type: 'integer', minimum: 1 },
                heads: {
                  type: 'object',
                  description: 'present while chain heads are owed: the service key failed, writes went on, the heads are signed once it works (the error itself is in the log)',
                  properties: {
                    owed: { type: 'integer', minimum: 1 },
                    failedAt: { type: 'string', format: 'date-time' },
                    message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } }, required: ['zh', 'en'] },
                  },
                  required: ['owed', 'message'],
                },
              },
              required: ['status', 'authorities'],
            },
          },
        },
      },
      503: {
        description: 'not ready, with the reason in words: storage_full, busy or keys_unavailable (problem status 503)',
        headers: { 'Retry-After': { description: 'seconds before asking again', required: true, schema: { type: 'integer', minimum: 1 } } },
        content: problem,
      },
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/livez',
    operationId: 'getLiveness',
    summary: '存活检查 / Liveness: the process answers (no I/O)',
    security: [],
    responses: { 200: { description: 'alive', content: { 'text/plain': { schema: { type: 'string', enum: ['ok'] } } } } },
  });
}

/**
 * The document, built on first use (after every route is registered) and kept: it depends only on the code
 * and the public address.
 * @example app.get('/openapi.json', (c) => c.json(document()));
 */
export function apiDocument(app: OpenAPIHono<AppEnv>, publicUrl: string): () => OpenApiDocument {
  for (const [name, response] of Object.entries(SHARED_RESPONSES)) app.openAPIRegistry.registerComponent('responses', name, structuredClone(response) as never);
  registerProbes(app);
  let built: OpenApiDocument | undefined;
  return () => {
    if (built) return built;
    const document = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: '职称电子证书 API / Title e-certificate API',
        version: '1.0.0',
        description:
          'Issue, verify and revoke title e-certificates (桂职办〔2020〕132号). Every error is RFC 9457 application/problem+json with a stable `code` and `message: {zh, en}`. Answers may gain fields over time: ignore those you do not know.',
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [{ url: publicUrl, description: 'this service' }],
    });
    repairPatterns(document);
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = (item as Node)[method] as Node | undefined;
        if (operation) completeOperation(path, method, operation);
      }
    }
    built = document;
    return built;
  };
}
