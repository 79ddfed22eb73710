/**
 * A stand-in for entry/renderWorker.ts in test/entry/renderPool.test.ts: speaks the same messages, and
 * does what the job's number says — `slow` takes 300 ms, `crash` ends the thread, `throw` throws outside
 * any handler, `hang` never answers; anything else answers at once with the number's bytes. Keys `fail` make it refuse to start.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CertificatePdfJob } from '../../src/services/context.js';
import type { RenderReply, RenderWorkerData } from '../../src/entry/renderPool.js';

const port = parentPort!;
if ((workerData as RenderWorkerData).keys === 'fail') {
  port.postMessage({ ready: false, failure: 'keys fail to load' } satisfies RenderReply);
  process.exit(1);
}
port.postMessage({ ready: true } satisfies RenderReply);
port.on('message', ({ id, job }: { id: number; job: CertificatePdfJob }) => {
  const number = job.document.number;
  if (number === 'crash') process.exit(3);
  if (number === 'hang') return;
  if (number === 'throw') setTimeout(() => { throw new Error('worker bug'); });
  else setTimeout(() => port.postMessage({ id, pdf: new TextEncoder().encode(number) } satisfies RenderReply), number === 'slow' ? 300 : 0);
});
