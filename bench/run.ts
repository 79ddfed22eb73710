/**
 * `npm run bench`: measured in one run on the same server, so results are ratios, not absolute numbers
 * (the machines are shared and noisy).
 *  1. GET /v/{number} as JSON and as HTML against the trivial /livez route, 50 connections each;
 *  2. certificates issued per second through the API, each with its signed PDF;
 *  3. PDF rendering alone, in process, fonts parsed once: median and size.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startEdgeServer, ROOT } from '../test/support/server.js';
import { issueBody } from '../test/support/fixtures.js';
import { FontSet } from '../src/render/fonts.js';
import { renderCertificatePdf } from '../src/render/certificate/pdf.js';
import { signedPdf } from '../src/services/pdfSigning.js';
import { loadFonts, loadKeys, loadTemplate } from '../src/entry/nodeContext.js';
import { logBench } from './log.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

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

function row(name: string, r: autocannon.Result, base?: autocannon.Result): string {
  const ratio = base ? (r.requests.average / base.requests.average).toFixed(2) + '×' : '1.00×';
  return `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s  ${ratio.padStart(6)}  p50 ${String(r.latency.p50).padStart(3)} ms  p99 ${String(r.latency.p99).padStart(3)} ms  errors ${r.errors + r.non2xx}`;
}

async function main(): Promise<void> {
  // BENCH_ONLY=log runs the 核实 log part alone (no server, no HTTP).
  if (process.env.BENCH_ONLY === 'log') return void console.log((await logBench()).join('\n'));
  const server = await startServer({ ECERT_LOOKUP_BURST: '1000000' });
  try {
    const token = await server.token('GXZGB', 'issuer');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const created = (await (await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers, body: JSON.stringify(issueBody()) })).json()) as { number: string; verifyUrl: string };
    const path = new URL(created.verifyUrl).pathname + new URL(created.verifyUrl).search;

    // Warm both routes so the first connections do not pay for lazy loading.
    await cannon({ url: `${server.baseUrl}${path}`, connections: 10, amount: 2000, headers: { Accept: 'application/json' } });

    const trivial = await cannon({ url: `${server.baseUrl}/livez`, connections: 50, duration: SECONDS });
    const json = await cannon({ url: `${server.baseUrl}${path}`, connections: 50, duration: SECONDS, headers: { Accept: 'application/json' } });
    const html = await cannon({ url: `${server.baseUrl}${path}`, connections: 50, duration: SECONDS, headers: { Accept: 'text/html' } });
    const nodeSequential = await sequentialIssuance(server.baseUrl, headers);
    const issuance = await cannon({ url: `${server.baseUrl}/api/v1/certificates`, method: 'POST', connections: 4, duration: SECONDS, headers, body: JSON.stringify(issueBody()) });

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
    times.sort((a, b) => a - b);
    // The same render with its PAdES signature (placeholder, CMS over the ByteRange, splice), interleaved with
    // unsigned renders so both see the same machine: the ratio is what signing costs.
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

    console.log(`\n职称电子证书 benchmark — ${SECONDS} s per run, one server, same machine (${new Date().toISOString()})\n`);
    console.log(row('GET /livez (trivial baseline)', trivial));
    console.log(row('GET /v/{number} JSON', json, trivial));
    console.log(row('GET /v/{number} HTML', html, trivial));
    console.log(row('POST /api/v1/certificates (+PDF)', issuance, trivial));
    // The same verification route on workerd (wrangler dev --local adds a proxy in front: slower by design).
    let edgeRows: string[] = [];
    if (process.env.BENCH_EDGE !== '0') {
      const edge = await startEdgeServer({ ECERT_LOOKUP_BURST: '1000000' });
      try {
        const edgeToken = await edge.token('GXZGB', 'issuer');
        const edgeHeaders = { Authorization: `Bearer ${edgeToken}`, 'Content-Type': 'application/json' };
        const made = (await (await fetch(`${edge.baseUrl}/api/v1/certificates`, { method: 'POST', headers: edgeHeaders, body: JSON.stringify(issueBody()) })).json()) as { verifyUrl: string };
        const edgePath = new URL(made.verifyUrl).pathname + new URL(made.verifyUrl).search;
        await cannon({ url: `${edge.baseUrl}${edgePath}`, connections: 10, amount: 500, headers: { Accept: 'application/json' } });
        const edgeTrivial = await cannon({ url: `${edge.baseUrl}/livez`, connections: 50, duration: SECONDS });
        const edgeJson = await cannon({ url: `${edge.baseUrl}${edgePath}`, connections: 50, duration: SECONDS, headers: { Accept: 'application/json' } });
        const edgeIssue = await cannon({ url: `${edge.baseUrl}/api/v1/certificates`, method: 'POST', connections: 4, duration: SECONDS, headers: edgeHeaders, body: JSON.stringify(issueBody()) });
        const edgeSequential = await sequentialIssuance(edge.baseUrl, edgeHeaders);
        edgeRows = [
          row('edge GET /livez', edgeTrivial, trivial),
          row('edge GET /v/{number} JSON', edgeJson, trivial),
          row('edge POST /api/v1/certificates', edgeIssue, trivial),
          `one issuance at a time (sign + render + store), median: Node ${nodeSequential.toFixed(1)} ms, workerd ${edgeSequential.toFixed(1)} ms`,
        ];
      } finally {
        await edge.stop();
      }
    }
    if (edgeRows.length) console.log(`\nwrangler dev --local (workerd + local D1, ratios to the Node trivial route):\n${edgeRows.join('\n')}`);

    console.log(`\nPDF render in process: first ${firstMs.toFixed(0)} ms (font parse), median ${times[times.length >> 1]!.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms, size ${(size / 1024).toFixed(0)} KB`);
    console.log(`PDF with PAdES signature: median ${median(signedTimes).toFixed(1)} ms vs ${median(plainTimes).toFixed(1)} ms unsigned (${(median(signedTimes) / median(plainTimes)).toFixed(2)}×), size ${(signedSize / 1024).toFixed(0)} KB`);
    console.log(`Targets: JSON ≥ 0.40× trivial, p99 ≤ 5 ms; PDF median ≤ 30 ms, ≤ 150 KB; issuance ≥ 30/s`);
    console.log(`\n${(await logBench()).join('\n')}`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
