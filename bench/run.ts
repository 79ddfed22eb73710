/**
 * `npm run bench`: the orchestrator. Each module measures its own figures and returns lines of the form
 * `<figure>: <value> (target <target>) <PASS|MISS>`; this prints them as one table.
 *  - http (bench/http.ts): /livez and GET /v/{number}?s=… JSON and HTML as ratios to a bare Hono "hello",
 *    alternating, same run (BENCH_EDGE=0 skips the workerd lines);
 *  - issuance: certificates issued per second through the API with the signed PDF, PDF render alone;
 *  - log: 核实 appends through the service, then `log check`;
 *  - scale (bench/scale.ts): verification JSON at 1,000 and at BENCH_SCALE_CERTS certificates, bytes per certificate.
 * BENCH_ONLY=http,scale runs only the named modules.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ROOT } from '../test/support/server.js';
import { issueBody } from '../test/support/fixtures.js';
import { FontSet } from '../src/render/fonts.js';
import { renderCertificatePdf } from '../src/render/certificate/pdf.js';
import { signedPdf } from '../src/services/pdfSigning.js';
import { loadFonts, loadKeys, loadTemplate } from '../src/entry/nodeContext.js';
import { cannon, httpBench, SECONDS } from './http.js';
import { logBench } from './log.js';
import { scaleBench } from './scale.js';

/** Median wall time of `n` issuances one after another: on an idle server, the CPU cost of one certificate. */
async function sequentialIssuance(baseUrl: string, headers: Record<string, string>, n = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(`${baseUrl}/api/v1/certificates`, { method: 'POST', headers, body: JSON.stringify(issueBody()) });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[n >> 1]!;
}

/**
 * Issuance through the API with the signed PDF, and PDF render in process. Stands in until bench/issuance.ts
 * (p15-issue) replaces it with its own `issuanceBench`.
 */
async function issuanceBench(): Promise<string[]> {
  const server = await startServer({ ECERT_LOOKUP_BURST: '1000000' });
  try {
    const token = await server.token('GXZGB', 'issuer');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = (await (await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers, body: JSON.stringify(issueBody()) })).json()) as { number: string; verifyUrl: string };
    const nodeSequential = await sequentialIssuance(server.baseUrl, headers);
    const issuance: autocannon.Result = await cannon({ url: `${server.baseUrl}/api/v1/certificates`, method: 'POST', connections: 4, duration: SECONDS, headers, body: JSON.stringify(issueBody()) });

    const fonts = new FontSet(loadFonts());
    const template = loadTemplate();
    const photo = new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/photo.jpg')));
    const doc = {
      number: created.number,
      verifyUrl: created.verifyUrl,
      token: 'x'.repeat(1400),
      holder: { name: '张三丰', gender: '男', idType: '居民身份证', idNumber: '4501**********0019' },
      photo: { bytes: photo, type: 'image/jpeg' as const },
      title: { seriesName: '工程技术', name: '高级工程师', level: '副高级', specialty: '电气工程' },
      original: { acquiredOn: '2015-12-30', method: '评审', evaluatingBody: '湖南省工程技术高级职务评审委员会', certificateNumber: 'HN2015-00123' },
      authority: { name: '广西壮族自治区职称改革工作领导小组办公室', code: 'GXZGB' },
      decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-03-18' },
      issuedAt: new Date().toISOString(),
    };
    const t0 = performance.now();
    let size = (await renderCertificatePdf(doc, fonts, template)).length; // parses the fonts
    const firstMs = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      size = (await renderCertificatePdf(doc, fonts, template)).length;
      times.push(performance.now() - t);
    }
    // The same render with its PAdES signature, interleaved with unsigned renders so both see the same machine.
    const trust = await loadKeys(join(ROOT, 'keys.example'), false);
    const key = trust.currentSigner('GXZGB')!;
    const signer = { name: key.name, privateKey: key.privateKey!, x5c: key.x5c };
    const plainTimes: number[] = [];
    const signedTimes: number[] = [];
    let signedSize = 0;
    for (let i = 0; i < 40; i++) {
      let t = performance.now();
      await renderCertificatePdf(doc, fonts, template);
      plainTimes.push(performance.now() - t);
      t = performance.now();
      signedSize = (await signedPdf((sig) => renderCertificatePdf(doc, fonts, template, sig), signer, { reason: 'bench', location: 'bench', signedAt: new Date() })).length;
      signedTimes.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const perSecond = issuance.requests.average;
    return [
      `issuance with the signed PDF (POST /api/v1/certificates, 4 connections, ${SECONDS} s): ${perSecond.toFixed(0)}/s, one at a time median ${nodeSequential.toFixed(1)} ms (target ≥ 80/s) ${perSecond >= 80 ? 'PASS' : 'MISS'}`,
      `PDF render median: ${median(times).toFixed(1)} ms, first ${firstMs.toFixed(0)} ms (font parse), size ${(size / 1024).toFixed(0)} KB (target ≤ 12 ms) ${median(times) <= 12 ? 'PASS' : 'MISS'}`,
      `PDF with PAdES signature: median ${median(signedTimes).toFixed(1)} ms vs ${median(plainTimes).toFixed(1)} ms unsigned, size ${(signedSize / 1024).toFixed(0)} KB (target none) INFO`,
    ];
  } finally {
    await server.stop();
  }
}

const MODULES: Record<string, () => Promise<string[]>> = { http: httpBench, issuance: issuanceBench, log: logBench, scale: scaleBench };

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !(name in MODULES));
  if (unknown.length) throw new Error(`BENCH_ONLY: no module ${unknown.join(', ')} (modules: ${Object.keys(MODULES).join(', ')})`);
  const names = only.length ? only : Object.keys(MODULES);
  const results: [string, string[]][] = [];
  for (const name of names) {
    console.error(`[bench] ${name} …`);
    results.push([name, await MODULES[name]!()]);
  }
  console.log(`\n职称电子证书 benchmark — ${new Date().toISOString()}, Node ${process.version}, one machine, figures measured in this run\n`);
  for (const [name, lines] of results) {
    console.log(`[${name}]`);
    for (const line of lines) console.log(`  ${line}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
