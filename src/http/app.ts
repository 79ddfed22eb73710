/**
 * @module http/app
 * Builds the Hono app from its dependencies; the entries (Node, Workers) only serve it. Every error leaves
 * as problem+json: domain errors with their own code, bad JSON as 400, oversize bodies as 413, anything
 * unexpected as a bare 500 with no stack trace (logged by the entry, never sent).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from '../domain/errors.js';
import { serviceContext, type AppDeps, type AppEnv } from './env.js';
import { domainProblem, problemOf, problemResponse } from './problem.js';
import { readiness } from '../services/health.js';
import { problemFromZod } from './zodProblem.js';
import { catalogRoutes } from './api/catalog.js';
import { certificateRoutes } from './api/certificates.js';
import { batchRoutes, BATCH_SHEET_TYPES, BATCH_ZIP_TYPES, MAX_BATCH_SHEET_BYTES, MAX_BATCH_ZIP_BYTES } from './api/batches.js';
import { licenceMetadataRoutes } from './api/licenceMetadata.js';
import { trustRoutes } from './api/trust.js';
import { verificationRoutes } from './api/verification.js';
import { verifyPageRoutes } from './pages/verify/routes.js';
import { verificationRecordRoutes } from './api/verificationRecords.js';
import { reconfirmationRoutes } from './api/reconfirmations.js';
import { applicationRoutes } from './api/applications.js';
import { administrationRoutes } from './api/administration.js';
import { sealRoutes } from './api/seals.js';
import { calendarRoutes } from './api/calendar.js';
import { banRoutes } from './api/bans.js';
import { holderRoutes } from './api/holder.js';
import { sharePageRoutes } from './pages/share/routes.js';
import { holderPageRoutes } from './pages/holder/routes.js';
import { statisticsPageRoutes } from './pages/stats/routes.js';
import { docsPage } from './pages/docsPage.js';
import { apiDocument } from './openapiDocument.js';
import { securityHeaders } from './middleware/session.js';
import { messagePage, pageFrame } from './pages/frame.js';
import { signInPageRoutes } from './pages/signIn/routes.js';
import { boundJsonNesting, MAX_JSON_DEPTH } from './middleware/jsonNesting.js';
import { recordPageRoutes } from './pages/records/routes.js';
import { casePageRoutes } from './pages/cases/routes.js';
import { caseFormPageRoutes } from './pages/cases/formRoutes.js';
import { adminPageRoutes } from './pages/admin/routes.js';
import { createRateLimiter } from './middleware/rateLimit.js';
import { UnreadableForm } from './middleware/formBody.js';
import { limitBody } from './middleware/bodyLimit.js';
import { notFoundPage } from './pages/notFoundPage.js';
import { langOf } from './pages/i18n.js';
import { renderHtml } from './pages/renderHtml.js';

/** Largest accepted request body: a 1 MiB photo as base64 plus the certificate's text. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** A verification record carries one evidence file of up to 5 MiB, as base64. */
export const MAX_RECORD_BODY_BYTES = 8 * 1024 * 1024;
/** A public lookup is a number and a name. */
export const MAX_LOOKUP_BODY_BYTES = 4 * 1024;
/** The public eligibility question: a few dozen short fields. */
export const MAX_ELIGIBILITY_BODY_BYTES = 16 * 1024;
/** The public page forms (look up, sign in, sign out): a few short fields and the CSRF token. */
export const MAX_PUBLIC_FORM_BYTES = 8 * 1024;

/** How the app is served. */
export interface AppOptions {
  /**
   * `server`: the server around the app sets the security headers on every response itself (Node:
   * entry/nodeServer.ts), so the app does not; `app` (the default, Workers): the app sets them.
   */
  securityHeaders?: 'app' | 'server';
}

/** @example const app = createApp(deps); serve({ fetch: app.fetch, port: 8787 }); */
export function createApp(deps: AppDeps, log: (message: string, error?: unknown) => void = () => undefined, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const target = (result as { target?: string }).target;
        const prefix = target === 'header' ? 'header' : target === 'param' ? 'path' : target === 'query' ? 'query' : undefined;
        return problemResponse(c, problemFromZod(result.error, prefix));
      }
      return undefined;
    },
  });

  app.onError((error, c) => {
    // Busy (a locked database, a chained write that kept losing its place) is worth a retry; so is any
    // constraint conflict that escaped its use case: 503 + Retry-After, never 500.
    if (error instanceof DomainError) {
      // The operator must hear of a full disk or a busy database; the client gets the words, not the cause.
      if (error.code === 'storage_full' || error.code === 'busy') log(`${error.code} on ${c.req.method} ${JSON.stringify(c.req.path)}`, error.cause ?? error);
      return problemResponse(c, domainProblem(error), error.code === 'busy' ? { 'Retry-After': '1' } : undefined);
    }
    if (error instanceof Error && error.name === 'ConstraintError') {
      log(`conflict on ${c.req.method} ${JSON.stringify(c.req.path)}`, error);
      return problemResponse(c, problemOf('busy', { zh: '与同时进行的另一操作冲突，本次提交未保存，请稍后重试。', en: 'This request collided with another one and was not saved; try again shortly.' }), { 'Retry-After': '1' });
    }
    if (error instanceof UnreadableForm) {
      // A page form that is not a form (multipart without a boundary, truncated …): the sender's mistake. Only pages read forms (the API takes JSON).
      const why = { zh: '提交的表单内容无法读取（格式损坏或不完整），请返回刷新页面后重新提交。', en: 'The form that was sent could not be read (malformed or incomplete); go back, reload the page and send it again.' };
      return messagePage(c as Context<AppEnv>, 400, { zh: '表单无法读取', en: 'Unreadable form' }, why);
    }
    if (error instanceof HTTPException) {
      if (error.res) return error.res;
      if (error.status === 400) {
        return problemResponse(c, problemOf('invalid_json', { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' }, '(body)'));
      }
      return problemResponse(c, problemOf('validation_failed', { zh: '请求无效', en: error.message || 'Invalid request' }));
    }
    log(`unhandled error on ${c.req.method} ${JSON.stringify(c.req.path)}`, error); // quoted: a path cannot forge log lines
    return problemResponse(c, problemOf('internal', { zh: '服务内部错误，已记录', en: 'Internal error; it has been logged' }));
  });

  // Before the handler, never after it (http/middleware/session.ts); on Node the server sets them instead.
  if (options.securityHeaders !== 'server') app.use('*', securityHeaders);

  // A browser gets a page in words with a way home; the API (and anything asking for JSON) a problem.
  app.notFound((c) => {
    const accept = (c.req.header('Accept') ?? '').toLowerCase();
    if (!c.req.path.startsWith('/api/') && accept.includes('text/html')) {
      return c.html(renderHtml(notFoundPage(langOf(c), c.req.path)), 404, { 'Cache-Control': 'no-store' });
    }
    return problemResponse(c, problemOf('not_found', { zh: '没有这个地址', en: 'No such resource' }));
  });

  const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);
  const limitTo = (maxSize: number) =>
    limitBody(maxSize, (c) => problemResponse(c, problemOf('body_too_large', { zh: `请求体超过 ${size(maxSize)}`, en: `Request body exceeds ${size(maxSize)}` }, '(body)', { maxBytes: maxSize })));
  const recordLimit = limitTo(MAX_RECORD_BODY_BYTES);
  const defaultLimit = limitTo(MAX_BODY_BYTES);
  // Anyone may call these two: they get a limit their own content needs, not the issuer's 2 MiB.
  const publicLimits: Record<string, MiddlewareHandler> = { '/api/v1/lookup': limitTo(MAX_LOOKUP_BODY_BYTES), '/api/v1/reconfirmations/eligibility': limitTo(MAX_ELIGIBILITY_BODY_BYTES) };
  // Requests that carry a file of up to 5 MiB: a verification record's evidence, an application's material.
  const carriesFile = (path: string) => path === '/api/v1/verification-records' || /^\/api\/v1\/reconfirmations\/[^/]+\/materials$/.test(path);
  // Batch issuance (issue 18): a sheet of up to 20,000 rows, a ZIP of photos.
  const sheetLimit = limitTo(MAX_BATCH_SHEET_BYTES);
  const zipLimit = limitTo(MAX_BATCH_ZIP_BYTES);
  const isBatchSheet = (path: string) => path === '/api/v1/batches';
  const isBatchZip = (path: string) => /^\/api\/v1\/batches\/[^/]+\/photos$/.test(path);
  const batchLimit = (path: string) => (isBatchSheet(path) ? sheetLimit : isBatchZip(path) ? zipLimit : undefined);
  app.use('/api/*', (c, next) => (publicLimits[c.req.path] ?? batchLimit(c.req.path) ?? (carriesFile(c.req.path) ? recordLimit : defaultLimit))(c, next));
  const formLimit = limitBody(MAX_PUBLIC_FORM_BYTES, (c) =>
    messagePage(c as Context<AppEnv>, 413, { zh: '提交的内容过长', en: 'Too long' }, { zh: `表单内容超过 ${size(MAX_PUBLIC_FORM_BYTES)}，请返回检查后重新提交。`, en: `The form is over ${size(MAX_PUBLIC_FORM_BYTES)}; go back, check it and send it again.` }),
  );
  for (const path of ['/verify', '/login', '/logout', '/lang']) app.use(path, formLimit);
  // A JSON API: refuse other body types plainly instead of failing later.
  app.use('/api/*', async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    const batchTypes: readonly string[] | undefined = isBatchSheet(c.req.path) ? BATCH_SHEET_TYPES : isBatchZip(c.req.path) ? BATCH_ZIP_TYPES : undefined;
    if ((c.req.method === 'POST' || c.req.method === 'PUT') && batchTypes && !batchTypes.includes(mediaType)) {
      return problemResponse(c, problemOf('unsupported_media_type', { zh: `请求体须为 ${batchTypes.join(' 或 ')}`, en: `The request body must be ${batchTypes.join(' or ')}` }, '(body)', { accepted: batchTypes }));
    }
    if ((c.req.method === 'POST' || c.req.method === 'PUT') && !batchTypes && mediaType !== 'application/json') {
      return problemResponse(c, problemOf('unsupported_media_type', { zh: '请求体须为 application/json', en: 'The request body must be application/json' }, '(body)'));
    }
    await next();
  });
  // Nesting is bounded before parsing: 2 MB of [[[…]]] would become a million arrays.
  const tooDeep = (c: Context) =>
    problemResponse(c, problemOf('json_too_deep', { zh: `请求体的 JSON 嵌套超过 ${MAX_JSON_DEPTH} 层`, en: `The request body's JSON nests deeper than ${MAX_JSON_DEPTH} levels` }, '(body)', { maxDepth: MAX_JSON_DEPTH }));
  const boundNesting = boundJsonNesting(MAX_JSON_DEPTH, tooDeep);
  // A batch's sheet or ZIP is no JSON: its bytes must reach the route untouched.
  app.use('/api/*', (c, next) => (isBatchSheet(c.req.path) || isBatchZip(c.req.path) ? next() : boundNesting(c, next)));

  if (deps.testClock) {
    // Tests only (config refuses it in production): the request says what time it is.
    app.use('*', async (c, next) => {
      const given = c.req.header('X-Ecert-Test-Now');
      if (given) {
        const now = new Date(given);
        // Years the domain computes with (ID-number ages, China dates): 2000–2099; anything else is refused here.
        const year = now.getUTCFullYear();
        if (Number.isNaN(now.getTime()) || year < 2000 || year > 2099) return problemResponse(c, problemOf('validation_failed', { zh: 'X-Ecert-Test-Now 不是有效时间（2000—2099 年）', en: 'X-Ecert-Test-Now is not a valid time (years 2000–2099)' }, 'header.x-ecert-test-now'));
        c.set('now', now);
      }
      await next();
    });
  }

  // Liveness without I/O: the benchmarks' baseline, and a probe that never touches the database.
  app.get('/livez', (c) => c.text('ok'));

  // Ready: the database reads and takes a write, the keys load, an issuing authority exists (services/health.ts).
  app.get('/healthz', async (c) => {
    try {
      const { authorities, heads } = await readiness(serviceContext(c, deps));
      return c.json({ status: 'ok', authorities, ...(heads ? { heads } : {}) }, 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      log('health check failed', error);
      const problem = error instanceof DomainError ? domainProblem(error) : problemOf('keys_unavailable', { zh: '数据库或密钥不可用', en: 'Database or keys unavailable' });
      return problemResponse(c, { ...problem, status: 503 }, { 'Retry-After': '5' });
    }
  });

  pageFrame(app, deps); // before the routes that read the session (the /v page)
  signInPageRoutes(app, deps);
  recordPageRoutes(app, deps);
  caseFormPageRoutes(app, deps); // the application form: new and edit
  casePageRoutes(app, deps);
  adminPageRoutes(app, deps);
  holderPageRoutes(app, deps); // /console/my (issue 17)
  statisticsPageRoutes(app, deps); // /console/statistics (issue 18 item 7)
  catalogRoutes(app);
  // One allowance per client for every request that does not prove it holds the certificate (typed links,
  // wrong proofs on the page, photo, token, PDF and credential, lookups by page or API), so mixing them gains nothing.
  const unproven = (deps.rateLimiter ?? createRateLimiter)(deps.lookupLimit ?? { burst: 10, refillSeconds: 6 }, (c) => deps.clientAddress(c));
  licenceMetadataRoutes(app, deps); // before certificateRoutes: metadata.csv is no certificate number (issue 19 item 4)
  certificateRoutes(app, deps, unproven);
  batchRoutes(app, deps); // issue 18 items 1–2
  verificationRoutes(app, deps, unproven);
  verifyPageRoutes(app, deps, unproven); // the /verify lookup form
  sharePageRoutes(app, deps, unproven); // a holder's share link /s/{secret}: unknown, ended and expired links spend from it (issue 17)
  trustRoutes(app, deps);
  verificationRecordRoutes(app, deps);
  reconfirmationRoutes(app, deps);
  applicationRoutes(app, deps);
  administrationRoutes(app, deps);
  sealRoutes(app, deps);
  calendarRoutes(app, deps);
  banRoutes(app, deps);
  holderRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'a token the service issued: npm run -s cli -- token create --org <code> --role <role>, or POST /api/v1/people' });
  const document = apiDocument(app, deps.publicUrl);
  app.get('/openapi.json', (c) => c.json(document(), 200, { 'Cache-Control': 'public, max-age=300' }));
  app.get('/docs', (c) => c.html(renderHtml(docsPage(document()))));
  app.get('/', (c) => c.redirect('/docs'));
  return app;
}
