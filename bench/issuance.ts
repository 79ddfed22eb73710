/**
 * Issuance's figures (issue 15): certificates issued per second through the API with the signed PDF — a real
 * Node server (its render pool: one worker per core, so both cores are busy), BENCH_ISSUE_CLIENTS concurrent
 * clients (default 8) for BENCH_SECONDS, each certificate with a photo of its own; only 201s count — and the PDF render median in this process, unsigned,
 * with the PAdES-signed render beside it. `npm run bench` prints them with the rest; alone:
 * `BENCH_SECONDS=3 node --import tsx bench/issuance.ts`. BENCH_ISSUE_PROFILE=1 renders 300 PDFs in a loop and
 * nothing else (run it under `node --cpu-prof`).
 */
import type autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, ROOT } from '../test/support/server.js';
import { issueBody } from '../test/support/fixtures.js';
import { FontSet } from '../src/render/fonts.js';
import { renderCertificatePdf, type CertificateDocument } from '../src/render/certificate/pdf.js';
import { signedPdf } from '../src/services/pdfSigning.js';
import { loadFonts, loadKeys, loadTemplate, useNodeDeflate } from '../src/entry/nodeContext.js';
import { newCertificateNumber } from '../src/domain/certificateNumber.js';
import { cannon, cpuSeconds, SECONDS } from './http.js';

/** Issue 15's targets. */
export const ISSUANCE_TARGET = 80;
export const RENDER_TARGET_MS = 12;

const CLIENTS = Math.max(1, Number(process.env.BENCH_ISSUE_CLIENTS ?? 8));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Median wall time of `n` issuances one after another: on an idle server, the latency of one certificate. */
async function sequentialIssuance(baseUrl: string, headers: Record<string, string>, n = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(`${baseUrl}/api/v1/certificates`, { method: 'POST', headers, body: JSON.stringify(issueBody()) });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** A certificate as issuance lays it out (the fixture photo, the longest names we print). */
function benchDocument(): CertificateDocument {
  const photo = new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/photo.jpg')));
  const number = newCertificateNumber(2026);
  return {
    number,
    verifyUrl: `https://ecert.example.gov.cn/v/${number}?s=AAAAAAAAAAAAAAAAAAAAAA`,
    token: 'x'.repeat(1400),
    holder: { name: '张三丰', gender: '男', idType: '居民身份证', idNumber: '4501**********0019' },
    photo: { bytes: photo, type: 'image/jpeg' as const },
    title: { seriesName: '工程技术', name: '高级工程师', level: '副高级', specialty: '电气工程' },
    original: { acquiredOn: '2015-12-30', method: '评审', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: 'HN2015-00123' },
    authority: { name: '广西壮族自治区职称改革工作领导小组办公室', code: 'GXZGB' },
    decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
    issuedAt: new Date().toISOString(),
  };
}

/**
 * The fixture photo made one holder's own: a JPEG comment segment (COM, right after SOI) naming `i`, so every
 * certificate of the bench stores a photo of its own, as real holders' photos differ (the same photo again
 * would be read back and fsync'd where it lies, a path real issuance rarely takes).
 */
let fixturePhoto: Buffer | undefined;
export function ownPhotoBody(i: number): string {
  const photo = (fixturePhoto ??= readFileSync(join(ROOT, 'test/fixtures/photo.jpg')));
  const note = Buffer.from(`bench holder ${i}`);
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe, (note.length + 2) >> 8, (note.length + 2) & 0xff]), note]);
  const own = Buffer.concat([photo.subarray(0, 2), comment, photo.subarray(2)]);
  const body = issueBody();
  body.holder.photo = `data:image/jpeg;base64,${own.toString('base64')}`;
  return JSON.stringify(body);
}

/** `node --import tsx src/entry/node.ts` on a fresh database (node itself, so /proc counts the server and its workers). */
async function startIssuer(): Promise<{ baseUrl: string; headers: Record<string, string>; child: ChildProcess; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecert-bench-issue-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', ECERT_DB: join(dir, 'ecert.db'), ECERT_KEYS: join(ROOT, 'keys.example'), ECERT_PUBLIC_URL: baseUrl, NODE_ENV: 'test' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; !(await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)); i++) {
      if (child.exitCode !== null || i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', '--org', 'GXZGB', '--role', 'issuer'], { cwd: ROOT, env, encoding: 'utf8' }).trim();
    return { baseUrl, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Issuance per second through the API (201s only), the render pool doing the PDFs; beside it the server's CPU
 * per certificate (all its threads, from /proc), which a shared machine moves less than the rate.
 */
async function issuanceRate(): Promise<string> {
  const server = await startIssuer();
  try {
    const sequential = await sequentialIssuance(server.baseUrl, server.headers); // also warms every worker
    const cpuBefore = cpuSeconds(server.child);
    let i = 0;
    const result: autocannon.Result = await cannon({
      url: `${server.baseUrl}/api/v1/certificates`,
      connections: CLIENTS,
      duration: SECONDS,
      headers: server.headers,
      requests: [{ method: 'POST', setupRequest: (req: autocannon.Request) => ({ ...req, body: ownPhotoBody(i++) }) }],
    });
    const cpuMs = ((cpuSeconds(server.child) - cpuBefore) * 1000) / Math.max(1, result['2xx']);
    const perSecond = result['2xx'] / (result.duration || SECONDS);
    const other = result.non2xx + result.errors + result.timeouts;
    const how = process.env.ECERT_RENDER_WORKERS === '0' ? 'rendered in-line, ECERT_RENDER_WORKERS=0' : 'render pool';
    return `issuance with the signed PDF (POST /api/v1/certificates, ${CLIENTS} clients, ${SECONDS} s, ${how}): ${perSecond.toFixed(0)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${other} not 201, server CPU ${cpuMs.toFixed(1)} ms per certificate, one at a time median ${sequential.toFixed(1)} ms, load average ${loadavg()[0]!.toFixed(1)} (target ≥ ${ISSUANCE_TARGET}/s) ${perSecond >= ISSUANCE_TARGET ? 'PASS' : 'MISS'}`;
  } finally {
    await server.stop();
  }
}

/** The PDF render median in this process as the render workers do it (node:zlib), unsigned, and the signed render beside it, interleaved. */
async function renderMedian(): Promise<string[]> {
  useNodeDeflate(); // as the render workers do
  const fonts = new FontSet(loadFonts());
  const template = loadTemplate();
  const doc = benchDocument();
  const t0 = performance.now();
  let size = (await renderCertificatePdf(doc, fonts, template)).length; // parses the fonts
  const firstMs = performance.now() - t0;
  for (let i = 0; i < 10; i++) await renderCertificatePdf(doc, fonts, template); // JIT warm-up
  const trust = await loadKeys(join(ROOT, 'keys.example'), false);
  const key = trust.currentSigner('GXZGB')!;
  const signer = { name: key.name, privateKey: key.privateKey!, x5c: key.x5c };
  const plainTimes: number[] = [];
  const signedTimes: number[] = [];
  let signedSize = 0;
  for (let i = 0; i < 60; i++) {
    let t = performance.now();
    size = (await renderCertificatePdf(doc, fonts, template)).length;
    plainTimes.push(performance.now() - t);
    t = performance.now();
    signedSize = (await signedPdf((sig) => renderCertificatePdf(doc, fonts, template, sig), signer, { reason: 'bench', location: 'bench', signedAt: new Date() })).length;
    signedTimes.push(performance.now() - t);
  }
  const plain = median(plainTimes);
  return [
    `PDF render median: ${plain.toFixed(1)} ms, first ${firstMs.toFixed(0)} ms (font parse), size ${(size / 1024).toFixed(0)} KB (target ≤ ${RENDER_TARGET_MS} ms) ${plain <= RENDER_TARGET_MS ? 'PASS' : 'MISS'}`,
    `PDF with PAdES signature: median ${median(signedTimes).toFixed(1)} ms vs ${plain.toFixed(1)} ms unsigned, size ${(signedSize / 1024).toFixed(0)} KB (target none) INFO`,
  ];
}

/** Issuance through the API with the signed PDF, then the PDF render median in process. */
export async function issuanceBench(): Promise<string[]> {
  const rate = await issuanceRate();
  return [rate, ...(await renderMedian())];
}

/** 300 renders and nothing else, for `node --cpu-prof`. */
async function profileLoop(): Promise<void> {
  useNodeDeflate();
  const fonts = new FontSet(loadFonts());
  const template = loadTemplate();
  const doc = benchDocument();
  const trust = await loadKeys(join(ROOT, 'keys.example'), false);
  const key = trust.currentSigner('GXZGB')!;
  const signer = { name: key.name, privateKey: key.privateKey!, x5c: key.x5c };
  await renderCertificatePdf(doc, fonts, template);
  const t = performance.now();
  for (let i = 0; i < 300; i++) await signedPdf((sig) => renderCertificatePdf(doc, fonts, template, sig), signer, { reason: 'bench', location: 'bench', signedAt: new Date() });
  console.log(`300 signed renders: ${((performance.now() - t) / 300).toFixed(1)} ms each`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  (process.env.BENCH_ISSUE_PROFILE === '1' ? profileLoop().then(() => []) : issuanceBench())
    .then((lines) => lines.forEach((line) => console.log(line)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
