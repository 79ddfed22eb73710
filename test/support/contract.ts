/**
 * The API contract as a client sees it: the document the server serves at /openapi.json, linted with
 * Redocly's recommended rules, and a JSON Schema 2020-12 validator (ajv) over its schemas. `contract.call`
 * sends a request and checks the answer against the document: the operation must be documented, the status
 * declared for it, the media type declared for that status, the declared headers present, and the body valid
 * under the declared schema — with every object closed, so a field the document does not name fails too.
 * Every checked answer is recorded, so a test can assert that each documented operation was exercised.
 */
import { request as httpRequest } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** The path template as a regular expression over a request's path. */
  matcher: RegExp;
  definition: JsonObject;
}

export interface Answer {
  operationId: string;
  status: number;
  mediaType: string;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
  /** The parsed body when the media type is JSON. */
  body: any;
}

export interface CallOptions {
  token?: string;
  /** A JSON body (sent as application/json), or a raw string/bytes with their own Content-Type in `headers`. */
  json?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The test clock (X-Ecert-Test-Now). */
  now?: string;
  /**
   * Send on a connection of its own: a server that refuses a large body answers before reading it and then
   * closes the connection, which must not be one a later request reuses.
   */
  ownConnection?: boolean;
}

/** One request on a new connection (node:http, no agent), answered as a fetch Response. */
function sendAlone(url: string, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined): Promise<Response> {
  return new Promise((done, fail) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        done(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: h }));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : fail(error)));
    req.end(body);
  });
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;
const TEXT_MEDIA = /^(?:text\/[\w.+-]+|application\/(?:jose|vc\+jwt|dc\+sd-jwt|x-pem-file))$/;
/** What the first bytes of a binary answer must be, by media type. */
const MAGIC: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [0x50, 0x4b, 0x03, 0x04], // PK: a ZIP
};

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Redocly's recommended rules over the served document. */
export async function lint(source: string): Promise<NormalizedProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  return lintFromString({ source, absoluteRef: 'openapi.json', config });
}

/** Every object schema that does not say otherwise admits only the properties it names (a test-only view). */
function closeObjects(node: Json): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (!node || typeof node !== 'object') return;
  if (node.properties && typeof node.properties === 'object' && !('additionalProperties' in node) && !('unevaluatedProperties' in node)) {
    node.additionalProperties = false;
  }
  for (const value of Object.values(node)) closeObjects(value);
}

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

export class Contract {
  readonly operations: Operation[] = [];
  /** `operationId status mediaType` of every answer checked so far. */
  readonly seen = new Set<string>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly id: string;

  constructor(
    readonly baseUrl: string,
    readonly source: string,
    readonly document: JsonObject,
  ) {
    this.id = `${baseUrl}/openapi.json`;
    // Strict: a keyword ajv does not know is an error, except the annotations OpenAPI adds to JSON Schema.
    this.ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allErrors: true, unicodeRegExp: true });
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    // The document itself is the schema resource, so refs like #/components/schemas/X resolve inside it; its
    // top-level OpenAPI fields are keywords without meaning to the validator.
    this.ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags']);
    (addFormatsPlugin as unknown as (ajv: Ajv2020) => void)(this.ajv);
    const closed = structuredClone(document) as JsonObject;
    closeObjects(closed);
    this.ajv.addSchema({ ...closed, $id: this.id } as object);
    for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, JsonObject>)) {
      for (const method of METHODS) {
        const definition = item[method] as JsonObject | undefined;
        if (!definition) continue;
        const matcher = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.operations.push({ operationId: String(definition.operationId ?? `${method} ${path}`), method, path, matcher, definition });
      }
    }
    // A literal segment wins over a template ({id}) when both match.
    this.operations.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  }

  static async load(baseUrl: string): Promise<Contract> {
    const res = await fetch(`${baseUrl}/openapi.json`);
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    const source = await res.text();
    return new Contract(baseUrl, source, JSON.parse(source) as JsonObject);
  }

  /** The document's object at a JSON pointer (#/components/...), following one $ref. */
  resolve(node: JsonObject): JsonObject {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    let target: Json = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      target = (target as JsonObject)[part.replaceAll('~1', '/').replaceAll('~0', '~')] ?? null;
    }
    if (!target || typeof target !== 'object') throw new Error(`unresolved ${ref}`);
    return target as JsonObject;
  }

  operationFor(method: string, path: string): Operation | undefined {
    const m = method.toLowerCase();
    return this.operations.find((op) => op.method === m && op.matcher.test(path));
  }

  operationById(operationId: string): Operation {
    const op = this.operations.find((o) => o.operationId === operationId);
    if (!op) throw new Error(`no operation ${operationId}`);
    return op;
  }

  /** Validates a value against the schema at a pointer into the document (the closed view). */
  validate(schemaPointer: string, value: unknown): string[] {
    let validate = this.validators.get(schemaPointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.id}${schemaPointer}` });
      this.validators.set(schemaPointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /** The pointer of a request body's schema, for checking example bodies against it. */
  requestSchemaPointer(operationId: string, mediaType = 'application/json'): string {
    const op = this.operationById(operationId);
    if (!(op.definition.requestBody as JsonObject | undefined)?.content) throw new Error(`${operationId} takes no body`);
    return pointer('paths', op.path, op.method, 'requestBody', 'content', mediaType, 'schema');
  }

  /** Sends a request to the server under test and checks its answer against the document. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.now) headers['X-Ecert-Test-Now'] = options.now;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] ??= 'application/json';
    }
    const url = `${this.baseUrl}${path}`;
    const res = options.ownConnection
      ? await sendAlone(url, method, headers, body)
      : await fetch(url, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
    return this.check(method, path, res, 'Authorization' in headers);
  }

  /** Checks one answer; throws with what does not match. `authorised`: the request carried a bearer token. */
  async check(method: string, path: string, res: Response, authorised = false): Promise<Answer> {
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const where = `${method} ${path} → ${res.status}`;
    const fail = (why: string): never => {
      throw new Error(`${where}: ${why}\n${text.slice(0, 600)}`);
    };
    const pathOnly = path.split('?')[0]!;
    const op = this.operationFor(method, pathOnly);
    if (!op) fail('no documented operation');
    const { definition, operationId } = op!;
    if (res.status >= 500) fail('a server error is never an acceptable answer here');
    const security = (definition.security ?? []) as JsonObject[];
    const tokenNeeded = security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
    if (tokenNeeded && !authorised && res.status < 400) fail(`${operationId} answered without a token, but the document says it needs one`);
    const responses = (definition.responses ?? {}) as Record<string, JsonObject>;
    const key = [String(res.status), `${String(res.status)[0]}XX`].find((k) => k in responses);
    if (!key) fail(`status ${res.status} is not declared for ${operationId} (declared: ${Object.keys(responses).join(', ')})`);
    const declared = this.resolve(responses[key!]!);
    const responsePointer = typeof responses[key!]!.$ref === 'string' ? String(responses[key!]!.$ref) : pointer('paths', op!.path, op!.method, 'responses', key!);

    for (const [name, header] of Object.entries((declared.headers ?? {}) as Record<string, JsonObject>)) {
      const h = this.resolve(header);
      if (h.required === true && !res.headers.has(name)) fail(`required header ${name} is missing`);
      const value = res.headers.get(name);
      if (value !== null && h.schema) {
        const schema = this.resolve(h.schema as JsonObject);
        const typed = schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
        const errors = this.validate(`${responsePointer}/headers/${name.replaceAll('~', '~0').replaceAll('/', '~1')}/schema`, typed);
        if (errors.length) fail(`header ${name}: ${value}: ${errors.join('; ')}`);
      }
    }

    const content = declared.content as Record<string, JsonObject> | undefined;
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let body: unknown;
    if (!content || Object.keys(content).length === 0) {
      if (bytes.length > 0) fail(`a body is not declared (${mediaType})`);
    } else {
      if (!(mediaType in content)) fail(`media type ${JSON.stringify(mediaType)} is not declared (declared: ${Object.keys(content).join(', ')})`);
      const schemaPointer = `${responsePointer}/content/${mediaType.replaceAll('~', '~0').replaceAll('/', '~1')}/schema`;
      const hasSchema = Boolean(content[mediaType]!.schema);
      if (JSON_MEDIA.test(mediaType)) {
        try {
          body = JSON.parse(text);
        } catch {
          fail('not JSON');
        }
        if (!hasSchema) fail('a JSON answer needs a schema');
        const errors = this.validate(schemaPointer, body);
        if (errors.length) fail(`body does not match ${schemaPointer}:\n  ${errors.join('\n  ')}`);
      } else if (TEXT_MEDIA.test(mediaType)) {
        if (hasSchema) {
          const errors = this.validate(schemaPointer, text);
          if (errors.length) fail(`body does not match ${schemaPointer}: ${errors.join('; ')}`);
        }
      } else if (MAGIC[mediaType]) {
        if (!MAGIC[mediaType]!.every((b, i) => bytes[i] === b)) fail(`the body is not ${mediaType}`);
      } else {
        fail(`the test does not know how to check ${mediaType}`);
      }
    }
    this.seen.add(`${operationId} ${res.status} ${mediaType}`);
    return { operationId, status: res.status, mediaType, headers: res.headers, text, bytes, body };
  }

  /** The operations no checked answer has come from yet, and those that never answered a 2xx or (declaring one) a 4xx. */
  coverage(): { unexercised: string[]; noSuccess: string[]; noProblem: string[] } {
    const statuses = new Map<string, number[]>();
    for (const entry of this.seen) {
      const [id, status] = entry.split(' ');
      statuses.set(id!, [...(statuses.get(id!) ?? []), Number(status)]);
    }
    const ids = this.operations.map((o) => o.operationId);
    return {
      unexercised: ids.filter((id) => !statuses.has(id)),
      noSuccess: ids.filter((id) => statuses.has(id) && !statuses.get(id)!.some((s) => s < 300)),
      noProblem: this.operations
        .filter((o) => Object.keys(o.definition.responses as JsonObject).some((k) => k.startsWith('4')))
        .map((o) => o.operationId)
        .filter((id) => statuses.has(id) && !statuses.get(id)!.some((s) => s >= 400 && s < 500)),
    };
  }
}
