/**
 * entry/renderPool.ts with a stand-in worker (test/support/renderWorkerStandIn.ts): the queue is bounded
 * (one more job is refused with `busy` at once), a worker that dies is replaced and its job answered
 * `busy` (not a fault: nothing was written), a worker that cannot load says why, and close() refuses what
 * waits while what renders finishes. The real worker is exercised end to end in test/e2e/renderPool.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { renderPoolSettings, startRenderPool, type RenderPool } from '../../src/entry/renderPool.js';
import type { CertificatePdfJob } from '../../src/services/context.js';

const STAND_IN = new URL('../support/renderWorkerStandIn.ts', import.meta.url);
const pools: RenderPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close(0)));
});

function pool(workers: number, queue: number, keys = 'ok', jobTimeoutMs?: number): RenderPool {
  const started = startRenderPool({ workers, queue, workerUrl: STAND_IN, jobTimeoutMs }, { keys, production: false });
  pools.push(started);
  return started;
}

const job = (number: string) => ({ document: { number }, about: { reason: 'r', location: 'l', signedAt: '2026-12-07T00:00:00Z' } }) as unknown as CertificatePdfJob;
const text = (pdf: Uint8Array) => new TextDecoder().decode(pdf);
const outcome = (p: Promise<Uint8Array>) => p.then(text, (error: unknown) => (error instanceof DomainError ? error.code : `other: ${String(error)}`));

describe('render pool', () => {
  it('reads ECERT_RENDER_WORKERS and ECERT_RENDER_QUEUE, and refuses nonsense', () => {
    expect(renderPoolSettings({ ECERT_RENDER_WORKERS: '3', ECERT_RENDER_QUEUE: '2' })).toMatchObject({ workers: 3, queue: 2 });
    expect(renderPoolSettings({}).queue).toBe(64);
    expect(renderPoolSettings({}).workers).toBeGreaterThanOrEqual(1);
    expect(() => renderPoolSettings({ ECERT_RENDER_QUEUE: '-1' })).toThrow(/ECERT_RENDER_QUEUE/);
  });

  it('one worker, a queue of 2: the fourth job at once is refused busy (Retry-After 1), the others render', async () => {
    const p = pool(1, 2);
    await p.ready;
    const answers = await Promise.all(['slow', 'a', 'b', 'c', 'd'].map((n) => outcome(p.render(job(n)))));
    expect(answers).toEqual(['slow', 'a', 'b', 'busy', 'busy']);
    const refused = await p.render(job('slow')).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeUndefined(); // once the crowd is gone, it renders again
  });

  it('the busy refusal is in Chinese and English and asks for a retry', async () => {
    const p = pool(1, 0);
    await p.ready;
    const first = p.render(job('slow'));
    const error = await p.render(job('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'busy', details: { retryAfter: 1 } });
    expect((error as DomainError).zh).toContain('未保存任何内容');
    expect((error as DomainError).en).toContain('nothing was issued or saved');
    expect(text(await first)).toBe('slow');
  });

  it.each(['crash', 'throw'])('a worker that dies (%s) is replaced: its job is answered busy, the next renders', async (how) => {
    const p = pool(1, 4);
    await p.ready;
    const waiting = p.render(job('after')); // queued behind nothing: renders first
    expect(text(await waiting)).toBe('after');
    const [dead, next] = await Promise.all([outcome(p.render(job(how))), outcome(p.render(job('next')))]);
    expect(dead).toBe('busy');
    expect(next).toBe('next'); // waited for the new worker
    expect(p.load().replaced).toBe(1);
    expect(await outcome(p.render(job('again')))).toBe('again');
  });

  it('a render stuck past the job timeout: its worker is stopped and replaced, the job answered busy', async () => {
    const p = pool(1, 4, 'ok', 300);
    await p.ready;
    const [stuck, next] = await Promise.all([outcome(p.render(job('hang'))), outcome(p.render(job('next')))]);
    expect(stuck).toBe('busy');
    expect(next).toBe('next');
    expect(p.load().replaced).toBe(1);
  });

  it('workers that cannot load their keys: ready rejects with the reason, and jobs are refused busy, not held', async () => {
    const p = pool(1, 4, 'fail');
    await expect(p.ready).rejects.toThrow(/keys fail to load|exited/);
    await new Promise((r) => setTimeout(r, 50));
    expect(await outcome(p.render(job('x')))).toBe('busy');
  });

  it('close(): what waits is refused busy, what renders finishes, later jobs are refused', async () => {
    const p = pool(1, 4);
    await p.ready;
    const running = outcome(p.render(job('slow')));
    const queued = outcome(p.render(job('queued')));
    await new Promise((r) => setTimeout(r, 50));
    const closing = p.close(5_000);
    expect(await queued).toBe('busy');
    expect(await running).toBe('slow');
    await closing;
    expect(await outcome(p.render(job('late')))).toBe('busy');
  });
});
