/**
 * @module entry/renderWorker
 * One render worker of entry/renderPool.ts: loads the fonts (parsed once), the certificate template and the
 * keys once, says it is ready (or why it is not, and stops), then renders and signs one certificate PDF per
 * message, exactly as issuance does in-line (services/pdfSigning.ts renderCertificateJob). The PDF's bytes
 * are moved to the main thread, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../domain/errors.js';
import { FontSet } from '../render/fonts.js';
import { renderCertificateJob } from '../services/pdfSigning.js';
import type { CertificatePdfJob } from '../services/context.js';
import type { TrustStore } from '../crypto/trustStore.js';
import { loadFonts, loadKeys, loadTemplate, useNodeDeflate } from './nodeContext.js';
import type { RenderReply, RenderWorkerData } from './renderPool.js';

const port = parentPort;
if (!port) throw new Error('entry/renderWorker runs as a worker thread of entry/renderPool');
const data = workerData as RenderWorkerData;

useNodeDeflate();
let loaded: { fonts: FontSet; template: ReturnType<typeof loadTemplate>; trust: TrustStore };
try {
  const fonts = new FontSet(loadFonts());
  const template = loadTemplate();
  const [, trust] = await Promise.all([fonts.load(), loadKeys(data.keys, data.production)]);
  loaded = { fonts, template, trust };
} catch (error) {
  const reason = error instanceof DomainError ? `${error.zh} / ${error.en}` : error instanceof Error ? error.message : String(error);
  port.postMessage({ ready: false, failure: reason } satisfies RenderReply);
  process.exit(1);
}
port.postMessage({ ready: true } satisfies RenderReply);

port.on('message', (message: { id: number; job: CertificatePdfJob }) => {
  void (async () => {
    try {
      const pdf = await renderCertificateJob(message.job, loaded.fonts, loaded.template, loaded.trust);
      // Moved, not copied: the worker keeps no reference to these bytes.
      const whole = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength && pdf.buffer instanceof ArrayBuffer;
      port.postMessage({ id: message.id, pdf } satisfies RenderReply, whole ? [pdf.buffer as ArrayBuffer] : []);
    } catch (error) {
      const reply: RenderReply =
        error instanceof DomainError
          ? { id: message.id, domain: { code: error.code, zh: error.zh, en: error.en, field: error.field, details: error.details } }
          : { id: message.id, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      port.postMessage(reply);
    }
  })();
});
