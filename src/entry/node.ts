/**
 * @module entry/node
 * `npm start` (`node --import tsx src/entry/node.ts`, one process): the service on Node with an embedded
 * SQLite file. Prints where to click, its process id and how to get a demo token (entry/startupHints.ts).
 * SIGTERM or SIGINT stop it gracefully: no new connections, requests in flight finish (at most
 * ECERT_SHUTDOWN_SECONDS), the verifications still buffered for holders are written (at most 1 s), the
 * database is closed, exit 0. The only file (with the CLI) that knows it runs
 * on Node.
 */
import type { Server } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../http/app.js';
import { DomainError } from '../domain/errors.js';
import { loadConfig, type ServiceConfig } from './config.js';
import { openNodeContext, PROJECT_ROOT, type NodeContext } from './nodeContext.js';
import { keySetupSteps, startupLines } from './startupHints.js';
import { blobReportLines } from '../storage/blobCheck.js';
import { renderPoolSettings, startRenderPool } from './renderPool.js';
import { createNodeServer } from './nodeServer.js';
import { SightingBuffer } from '../storage/sightingBuffer.js';

async function main(config: ServiceConfig): Promise<void> {
  const context = await openNodeContext(config);
  context.deps.clientAddress = (c) => getConnInfo(c).remote.address ?? 'unknown';
  const log = (message: string, error?: unknown) => console.error(`[ecert] ${message}`, error instanceof Error ? error.message : (error ?? ''));
  // Issue 15: certificate PDFs render and are signed in worker threads, one per core, behind a bounded queue
  // (ECERT_RENDER_QUEUE; full → 503 busy); each worker loads fonts, template and keys once, before we listen.
  // ECERT_RENDER_WORKERS=0: no pool, the HTTP thread renders as on Workers.
  const poolSettings = renderPoolSettings(process.env);
  const pool = poolSettings.workers > 0 ? startRenderPool(poolSettings, { keys: config.keys, production: config.production }, log) : undefined;
  context.deps.renderCertificate = pool?.render;
  // Issue 17 item 4: who verified a holder is noted in memory and written every 250 ms or 500 entries, in one
  // transaction, off the request; at most 10,000 wait (then dropped with a counted warning); flushed on stop.
  const sightings = new SightingBuffer(context.deps.db, { maxBatch: 500, capacity: 10_000, log });
  context.deps.sightings = sightings;
  setInterval(() => void sightings.flush(), 250).unref();
  const app = createApp(context.deps, log, { securityHeaders: 'server' }); // set by the server (entry/nodeServer.ts)
  // Parse the 15 MB font once, before the first issuance waits for it (the HTTP thread checks every printed character).
  await Promise.all([context.deps.fonts.load(), pool?.ready]);
  const trust = await context.deps.trust();
  const server = createNodeServer(app.fetch);
  server.once('error', (error: NodeJS.ErrnoException) => {
    const inUse = error.code === 'EADDRINUSE';
    console.error(inUse ? `端口 ${config.port} 已被占用，请换一个 PORT / port ${config.port} is in use: set another PORT` : `无法监听 / cannot listen: ${error.message}`);
    context.close();
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    for (const line of startupLines({ config, trust, port, pid: process.pid, projectRoot: PROJECT_ROOT })) console.log(line);
  });
  // Stopping: requests in flight (their renders too) finish first; then the pool refuses anything left (busy) and
  // its workers end with the process, after the database is closed.
  const closeAll = () => {
    void pool?.close(0);
    context.close();
  };
  stopOnSignals(server, { close: closeAll, flush: () => sightings.flush() }, config.shutdownSeconds);
  // Issue 15: files missing from the blob store, or left in it by a failed write, are reported at start (lengths
  // only, so a large store does not delay serving; `npm run cli -- blobs check` also hashes every file).
  context
    .checkBlobs({ hash: false })
    .then((report) => {
      const { ok, lines } = blobReportLines(report);
      for (const line of lines) (ok && report.orphans.length === 0 && report.staged.count === 0 ? console.log : console.error)(`[ecert] ${line}`);
    })
    .catch((error: unknown) => log('blob store check failed / 文件存储检查未完成', error));
}

/**
 * Stop accepting at once, let requests in flight finish, close the database, exit 0. Connections that are
 * still busy after `seconds` are cut (exit 1); a second signal cuts them at once.
 */
function stopOnSignals(server: Server, context: Pick<NodeContext, 'close'> & { flush(): Promise<void> }, seconds: number): void {
  let stopping = false;
  let finishing = false;
  // What waits to be noted (who verified a holder) is written first, for at most a second, then the database closes.
  const finish = (code: number): void => {
    if (finishing) return;
    finishing = true;
    const late = new Promise<void>((done) => setTimeout(done, 1000).unref());
    void Promise.race([context.flush(), late]).finally(() => {
      context.close();
      process.exit(code);
    });
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`[ecert] ${signal} again: 立即停止 / stopping now, cutting requests in flight`);
      server.closeAllConnections();
      finish(1);
      return;
    }
    stopping = true;
    console.error(`[ecert] ${signal}: 不再接受新连接，等待进行中的请求（最多 ${seconds} 秒）/ no new connections; finishing requests in flight (at most ${seconds} s)`);
    server.close(() => {
      console.error('[ecert] 已停止 / stopped');
      finish(0);
    });
    // close() ends idle keep-alive connections once; ones that go idle later are ended as they do.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    setTimeout(() => {
      console.error(`[ecert] ${seconds} 秒后仍有请求未完成，已断开 / requests still in flight after ${seconds} s were cut`);
      server.closeAllConnections();
      finish(1);
    }, seconds * 1000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function explain(error: unknown): string {
  return error instanceof DomainError ? `${error.zh}\n${error.en}` : error instanceof Error ? error.message : String(error);
}

let config: ServiceConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(explain(error));
  process.exit(1);
}
main(config).catch((error: unknown) => {
  console.error(explain(error));
  const keysMissing = error instanceof DomainError && (error.code === 'keys_unavailable' || error.code === 'demo_keys_in_production');
  if (keysMissing && config.production) console.error(keySetupSteps(config, PROJECT_ROOT).join('\n'));
  process.exit(1);
});
