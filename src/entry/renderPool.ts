/**
 * @module entry/renderPool
 * Node only: certificate PDFs rendered and signed in worker threads, so issuance uses every core — the
 * HTTP thread checks, signs the token and writes; a worker lays out, subsets, deflates and signs the PDF
 * (entry/renderWorker.ts, which loads the fonts, template and keys once). One job per worker at a time;
 * jobs beyond that wait in a queue of bounded length (ECERT_RENDER_QUEUE), and a job that finds the queue
 * full is refused at once with `busy` (503 + Retry-After) before issuance has written anything. A worker
 * that dies is replaced; its job is answered `busy` too (nothing was written, a retry is safe). On Workers
 * there is no pool: issuance renders in-line (ctx.renderCertificate is absent).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import type { CertificatePdfJob, CertificateRenderer } from '../services/context.js';

/** What a render worker needs to load its keys (fonts and template come from the project). */
export interface RenderWorkerData {
  keys: string;
  production: boolean;
}

export interface RenderPoolSettings {
  /** Worker threads; by default one per core; 0: no pool, issuance renders in-line on the HTTP thread. */
  workers: number;
  /** Jobs that may wait for a free worker; one more is refused with `busy`. */
  queue: number;
  /** The worker's module (tests put a stand-in here); by default entry/renderWorker.ts. */
  workerUrl?: URL | undefined;
  /** A render still running after this long is stuck: its worker is stopped and replaced (default 30 s). */
  jobTimeoutMs?: number | undefined;
}

const Settings = z.object({
  ECERT_RENDER_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  ECERT_RENDER_QUEUE: z.coerce.number().int().min(0).max(10_000).default(64),
});

/** ECERT_RENDER_WORKERS (default: the number of cores; 0 renders in-line) and ECERT_RENDER_QUEUE (default 64) from the environment. */
export function renderPoolSettings(env: Record<string, string | undefined>): RenderPoolSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`配置错误 / invalid configuration:\n${lines}`);
  }
  return { workers: parsed.data.ECERT_RENDER_WORKERS ?? availableParallelism(), queue: parsed.data.ECERT_RENDER_QUEUE };
}

/** A worker's messages: loaded (or not), then per job the PDF or the error it met (a DomainError kept whole). */
export type RenderReply =
  | { ready: true }
  | { ready: false; failure: string }
  | { id: number; pdf: Uint8Array }
  | { id: number; domain: { code: DomainError['code']; zh: string; en: string; field?: string | undefined; details?: Record<string, unknown> | undefined } }
  | { id: number; failure: string };

interface Pending {
  id: number;
  job: CertificatePdfJob;
  resolve(pdf: Uint8Array): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  timer?: ReturnType<typeof setTimeout> | undefined;
  /** Loaded its fonts, template and keys; jobs go only to ready workers. */
  ready: boolean;
  current: Pending | undefined;
}

export interface RenderPool {
  render: CertificateRenderer;
  /** Every first worker has loaded its fonts, template and keys (rejects with the reason one could not). */
  ready: Promise<void>;
  /** Jobs rendering and waiting now, and workers replaced so far (tests, the bench). */
  load(): { running: number; waiting: number; replaced: number };
  /** Refuses what waits (`busy`), lets what renders finish (at most `graceMs`), then stops the workers. */
  close(graceMs?: number): Promise<void>;
}

/** The refusal when the queue is full, the pool is stopping or a worker died: nothing was written; try again. */
export function renderBusy(cause?: unknown): DomainError {
  const error = new DomainError(
    'busy',
    { zh: '证书生成繁忙，本次未签发、未保存任何内容，请稍后重试。', en: 'Certificate rendering is busy: nothing was issued or saved; try again in a moment.' },
    undefined,
    { retryAfter: 1 },
  );
  if (cause !== undefined) error.cause = cause;
  return error;
}

/**
 * Node 20 does not apply the main thread's loader (tsx) to worker threads, so a `.ts` worker starts from a
 * tiny script that registers tsx first; a compiled `.js` worker starts directly.
 */
function newWorker(url: URL, data: RenderWorkerData): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/**
 * @example
 * const pool = startRenderPool(renderPoolSettings(process.env), { keys: config.keys, production: config.production });
 * await pool.ready;
 * deps.renderCertificate = pool.render;
 */
export function startRenderPool(settings: RenderPoolSettings, data: RenderWorkerData, log: (message: string, error?: unknown) => void = () => undefined): RenderPool {
  const url = settings.workerUrl ?? new URL('./renderWorker.ts', import.meta.url);
  const jobTimeoutMs = settings.jobTimeoutMs ?? 30_000;
  const waiting: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  let replaced = 0;
  let crashesInARow = 0;
  let drained: (() => void) | undefined;

  const dispatch = (): void => {
    for (const slot of slots) {
      if (slot.current || !slot.ready) continue;
      const next = waiting.shift();
      if (!next) break;
      slot.current = next;
      slot.worker.postMessage({ id: next.id, job: next.job });
      // A stuck render (a bug, a pathological input) must not hold its client and a worker forever.
      slot.timer = setTimeout(() => void slot.worker.terminate(), jobTimeoutMs);
      slot.timer.unref();
    }
    if (closed && drained && !slots.some((slot) => slot.current)) drained();
  };

  const readiness: Promise<void>[] = [];
  const spawn = (first = false): Slot => {
    const worker = newWorker(url, data);
    worker.unref(); // never what keeps the process alive
    const slot: Slot = { worker, ready: false, current: undefined };
    let loaded!: () => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject)));
    ready.catch(() => undefined); // the first workers' readiness is the pool's; a replacement's is not awaited
    if (first) readiness.push(ready);
    worker.on('message', (reply: RenderReply) => {
      if ('ready' in reply) {
        if (!reply.ready) {
          failed(new Error(reply.failure));
          return;
        }
        slot.ready = true;
        crashesInARow = 0;
        loaded();
        dispatch();
        return;
      }
      const pending = slot.current;
      if (!pending || pending.id !== reply.id) return;
      slot.current = undefined;
      clearTimeout(slot.timer);
      if ('pdf' in reply) pending.resolve(reply.pdf);
      else if ('domain' in reply) pending.reject(new DomainError(reply.domain.code, reply.domain, reply.domain.field, reply.domain.details));
      else pending.reject(new Error(`PDF render failed: ${reply.failure}`));
      dispatch();
    });
    // A worker that dies (out of memory, a bug) is replaced; its job was not written anywhere, so its
    // client hears `busy` and may retry. A worker that keeps dying before it is ready is restarted more slowly.
    let gone = false;
    const replace = (error: Error) => {
      if (gone) return;
      gone = true;
      failed(error);
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      clearTimeout(slot.timer);
      if (slot.current) slot.current.reject(renderBusy(error));
      slot.current = undefined;
      // No worker can take what waits while they keep failing to start: refuse it now rather than hold it.
      if (!slot.ready && !slots.some((other) => other.ready)) for (const pending of waiting.splice(0)) pending.reject(renderBusy(error));
      if (!closed) {
        log('PDF render worker stopped; starting another / 证书生成线程异常退出，已重新启动', error);
        replaced++;
        crashesInARow = slot.ready ? 0 : crashesInARow + 1;
        const delay = crashesInARow === 0 ? 0 : Math.min(5_000, 100 * 2 ** crashesInARow);
        const timer = setTimeout(() => {
          if (!closed) slots.push(spawn());
        }, delay);
        timer.unref();
      }
      dispatch();
    };
    worker.on('error', replace);
    worker.on('exit', (code) => replace(new Error(`PDF render worker exited with code ${code}`)));
    return slot;
  };

  for (let i = 0; i < Math.max(1, settings.workers); i++) slots.push(spawn(true));
  const ready = Promise.all(readiness).then(() => undefined);
  ready.catch(() => undefined);

  return {
    render(job) {
      if (closed) return Promise.reject(renderBusy());
      if (crashesInARow > 0 && !slots.some((slot) => slot.ready)) return Promise.reject(renderBusy()); // workers failing to start
      const idle = slots.some((slot) => slot.ready && !slot.current);
      if (!idle && waiting.length >= settings.queue) return Promise.reject(renderBusy());
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ id: nextId++, job, resolve, reject });
        dispatch();
      });
    },
    ready,
    load: () => ({ running: slots.filter((slot) => slot.current).length, waiting: waiting.length, replaced }),
    async close(graceMs = 10_000) {
      closed = true;
      for (const pending of waiting.splice(0)) pending.reject(renderBusy());
      if (slots.some((slot) => slot.current)) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      const stopping = slots.splice(0);
      for (const slot of stopping) {
        slot.current?.reject(renderBusy());
        slot.current = undefined;
      }
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
    },
  };
}
