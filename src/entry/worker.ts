/**
 * @module entry/worker
 * The same Hono app on Cloudflare Workers: storage through D1, keys from the `ECERT_KEYS` secret (a JSON
 * key bundle), the CJK fonts from Workers static assets (too large to bundle), the template bundled.
 * Workers forbid random values, timers and I/O at module scope, so everything is built on the first request
 * of an isolate and kept in module variables. The rate limit's buckets are not: they live in a Durable Object
 * per client key (RATE_LIMITER, entry/rateLimitObject.ts), shared by every isolate.
 */
import { loadTrustStore, type KeyBundle } from '../crypto/trustStore.js';
import { loadNewestLogSigner } from '../crypto/logHead.js';
import { DomainError } from '../domain/errors.js';
import { createApp } from '../http/app.js';
import { FontSet } from '../render/fonts.js';
import { parseCertificateTemplate } from '../render/certificate/template.js';
import { createD1Driver, type D1Like } from '../storage/drivers/d1.js';
import { r2BlobStore, type R2BucketLike } from '../storage/blobs.js';
import templateJson from '../../templates/certificate.json';
import recordTemplateJson from '../../templates/verification-record.json';
import { parseVerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import formTemplateJson from '../../templates/approval-form.json';
import { parseApprovalFormTemplate } from '../render/approvalForm/pdf.js';
import { loadConfig } from './config.js';
import { createDeps } from './deps.js';
import type { RateLimiterFactory } from '../http/env.js';
import { createRateLimiter, createSharedRateLimiter } from '../http/middleware/rateLimit.js';
import { durableBuckets, type RateLimitNamespace } from './rateLimitObject.js';
import { importSealMasterKey } from '../crypto/sealVault.js';
import { SightingBuffer } from '../storage/sightingBuffer.js';

/** The Durable Object class the RATE_LIMITER binding names (wrangler.toml): exported by the worker's entry. */
export { RateLimitBucket } from './rateLimitObject.js';

export interface Env {
  DB: D1Like;
  /** R2: PDFs, photos, evidence and materials by SHA-256 (issue 15). */
  BLOBS: R2BucketLike;
  ASSETS: { fetch(request: Request): Promise<Response> };
  /** JSON `{root: {certPem}, authorities: [{certPem, keyPem}]}` — `wrangler secret put ECERT_KEYS`. */
  ECERT_KEYS?: string;
  /** Issue 16: the master key of seal private keys (base64 of 32 bytes) — `wrangler secret put ECERT_SEAL_MASTER_KEY`; never in D1. */
  ECERT_SEAL_MASTER_KEY?: string;
  ECERT_PUBLIC_URL?: string;
  /** 证照类型代码 of the 电子证照标识 (issue 19 item 1): a var in wrangler.toml; blank, the demo one on the demo root only. */
  ECERT_LICENCE_TYPE_CODE?: string;
  NODE_ENV?: string;
  ECERT_LOOKUP_BURST?: string;
  ECERT_LOOKUP_REFILL_SECONDS?: string;
  /** The rate limit's buckets, one Durable Object per client key (wrangler.toml [[durable_objects.bindings]]). */
  RATE_LIMITER?: RateLimitNamespace;
}

/** Where the fonts sit among the static assets (copied there by scripts/edge.ts). */
export const FONT_ASSETS = { primary: '/fonts/NotoSerifSC-Regular.ttf', fallback: '/fonts/NotoSerifCJKsc-Fallback.ttf' };

/** The key bundle, with the service keys that sign the verification log's heads (`keys bundle` writes them). */
type EdgeKeyBundle = KeyBundle & { service?: { certPem: string; keyPem: string }[] };

function parseKeyBundle(text: string | undefined): EdgeKeyBundle {
  try {
    const bundle = JSON.parse(text ?? '') as EdgeKeyBundle;
    if (typeof bundle?.root?.certPem === 'string' && Array.isArray(bundle.authorities)) return bundle;
  } catch {
    /* reported below */
  }
  throw new DomainError('keys_unavailable', {
    zh: 'ECERT_KEYS 未设置或不是有效的密钥包 JSON（npm run cli -- keys bundle 生成）',
    en: 'ECERT_KEYS is missing or not a key bundle JSON (make one with npm run cli -- keys bundle)',
  });
}

async function assetBytes(env: Env, path: string): Promise<Uint8Array> {
  const res = await env.ASSETS.fetch(new Request(`https://assets.invalid${path}`));
  if (!res.ok) throw new Error(`static asset ${path} missing (${res.status}); run scripts/edge.ts assets`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The rate limit's buckets in the RATE_LIMITER Durable Objects, so the limit holds across isolates; this isolate's
 * memory only while an object cannot be reached (logged), or on a deployment without the binding (logged once).
 */
function sharedRateLimiter(env: Env): RateLimiterFactory {
  const namespace = env.RATE_LIMITER;
  if (!namespace) {
    console.error('[ecert] RATE_LIMITER 未绑定，查询限额仅按实例计 / no RATE_LIMITER binding: rate limits hold per isolate only (see wrangler.toml)');
    return createRateLimiter;
  }
  return (limit, keyOf) =>
    createSharedRateLimiter(limit, keyOf, durableBuckets(namespace), createRateLimiter(limit, keyOf), (error) =>
      console.error('[ecert] 限额对象不可用，本次按实例计 / rate-limit object unreachable, this request counted per isolate:', error instanceof Error ? error.message : error),
    );
}

let app: ReturnType<typeof createApp> | undefined;
/** Who verified a holder (issue 17 item 4), noted during a request and written after its answer (waitUntil). */
let sightings: SightingBuffer | undefined;

/** The part of Workers' ExecutionContext the entry uses. */
interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

function build(env: Env): ReturnType<typeof createApp> {
  const config = loadConfig(env as unknown as Record<string, string | undefined>);
  const deps = createDeps({
    driver: createD1Driver(env.DB),
    // No group commit on D1: each statement of a batch counts against the invocation's query limit.
    maxGroup: 1,
    blobs: r2BlobStore(env.BLOBS),
    loadTrust: () => loadTrustStore(parseKeyBundle(env.ECERT_KEYS), { production: config.production }),
    fonts: new FontSet(async () => ({ primary: await assetBytes(env, FONT_ASSETS.primary), fallback: await assetBytes(env, FONT_ASSETS.fallback) })),
    template: parseCertificateTemplate(templateJson),
    recordTemplate: parseVerificationRecordTemplate(recordTemplateJson),
    formTemplate: parseApprovalFormTemplate(formTemplateJson),
    config,
    clientAddress: (c) => c.req.header('CF-Connecting-IP') ?? 'unknown',
    rateLimiter: sharedRateLimiter(env),
    loadSealMasterKey: async () => (env.ECERT_SEAL_MASTER_KEY ? importSealMasterKey(env.ECERT_SEAL_MASTER_KEY, { production: config.production }) : undefined),
    loadLogSigner: async () => {
      const bundle = parseKeyBundle(env.ECERT_KEYS);
      // A service key in the bundle that does not load is skipped with a log line; the newest usable one signs.
      return loadNewestLogSigner(bundle.service ?? [], { rootPem: bundle.root.certPem }, new Date(), (i, problem) =>
        console.error(`[ecert] 跳过不可用的服务密钥 / service key ${i} of ECERT_KEYS skipped: ${problem.message}`),
      );
    },
  });
  const log = (message: string, error?: unknown) => console.error(`[ecert] ${message}`, error instanceof Error ? error.message : (error ?? ''));
  // No timers on Workers: each request's notes are written after its answer, in one D1 batch; at most 1,000
  // wait in an isolate (then dropped with a counted warning) — the verifier never waits on them.
  sightings = new SightingBuffer(deps.db, { maxBatch: 100, capacity: 1_000, log });
  deps.sightings = sightings;
  return createApp(deps, log);
}

export default {
  async fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    app ??= build(env);
    const response = await app.fetch(request, env, ctx as never);
    if (sightings && sightings.size > 0) (ctx as WaitUntil).waitUntil(sightings.flush());
    return response;
  },
};
