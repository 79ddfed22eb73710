/**
 * Cost as the registry grows: verification JSON (`GET /v/{number}?s=…`, Accept: application/json, the real
 * Node server) on a database of 1,000 certificates and on one of BENCH_SCALE_CERTS (default 1,000,000),
 * both seeded by bench/seedCertificates.ts (signed rows, no PDF render), measured alternately, each run
 * spreading its requests over SAMPLES different certificates. Reports the ratio (target ≥ 0.9×) and the
 * database's bytes per certificate.
 */
import type autocannon from 'autocannon';
import { join } from 'node:path';
import { startNodeServer, ROOT } from '../test/support/server.js';
import { loadKeys } from '../src/entry/nodeContext.js';
import { cannon, issueOne, SECONDS } from './http.js';
import { databaseBytes, seedCertificates, type SeededCertificate } from './seedCertificates.js';

const LARGE = Number(process.env.BENCH_SCALE_CERTS ?? 1_000_000);
const SMALL = 1_000;
const SAMPLES = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/** autocannon options that walk through `sample` round-robin, asking for JSON. */
function walk(baseUrl: string, sample: SeededCertificate[]): autocannon.Options {
  let i = 0;
  return {
    url: baseUrl,
    connections: 50,
    headers: { Accept: 'application/json' },
    requests: [{ setupRequest: (req: autocannon.Request) => {
      const c = sample[i++ % sample.length]!;
      return { ...req, path: `/v/${c.number}?s=${c.linkProof}` };
    } }],
  };
}

export async function scaleBench(): Promise<string[]> {
  // Both servers run the whole time; the one not measured is idle.
  const small = await startNodeServer({ ECERT_LOOKUP_BURST: '1000000' });
  const large = await startNodeServer({ ECERT_LOOKUP_BURST: '1000000' });
  try {
    // One certificate issued through the API is the template of every seeded row (and exists in both).
    const path = await issueOne(small.baseUrl, await small.token('GXZGB', 'issuer'));
    const number = path.split('/')[2]!.split('?')[0]!;
    await issueOne(large.baseUrl, await large.token('GXZGB', 'issuer')); // the same migrations and organisations
    const before = databaseBytes(large.dbPath);
    const trust = await loadKeys(join(ROOT, 'keys.example'), false);
    const signer = trust.currentSigner('GXZGB')!;
    const t0 = performance.now();
    const [smallSample, largeSample] = await seedCertificates(number, signer, [{ dbPath: small.dbPath, count: SMALL - 1 }, { dbPath: large.dbPath, count: LARGE - 1 }], SAMPLES);
    const seedSeconds = (performance.now() - t0) / 1000;
    const perCertificate = (databaseBytes(large.dbPath) - before) / (LARGE - 1);

    // Seeded rows are real certificates: each verifies as valid, like the one issued through the API.
    for (const [server, sample] of [[small, smallSample!], [large, largeSample!]] as const) {
      const c = sample[sample.length - 1]!;
      const answer = (await (await fetch(`${server.baseUrl}/v/${c.number}?s=${c.linkProof}`, { headers: { Accept: 'application/json' } })).json()) as { status: string };
      if (answer.status !== 'valid') throw new Error(`a seeded certificate verifies as ${answer.status}`);
    }
    // Warm: every sampled token's signature checked once (the server remembers it), pages in the cache.
    for (const [server, sample] of [[small, smallSample!], [large, largeSample!]] as const) await cannon({ ...walk(server.baseUrl, sample), connections: 10, amount: SAMPLES * 2 });
    let smallRequests = 0, smallSeconds = 0, largeRequests = 0, largeSeconds = 0, largeP99 = 0, errors = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const a = await cannon({ ...walk(small.baseUrl, smallSample!), duration: SECONDS });
      const b = await cannon({ ...walk(large.baseUrl, largeSample!), duration: SECONDS });
      smallRequests += a.requests.total; smallSeconds += a.duration;
      largeRequests += b.requests.total; largeSeconds += b.duration;
      largeP99 = Math.max(largeP99, b.latency.p99);
      errors += a.errors + a.non2xx + b.errors + b.non2xx;
    }
    const atSmall = smallRequests / smallSeconds;
    const atLarge = largeRequests / largeSeconds;
    const ratio = atLarge / atSmall;
    const n = (x: number) => Math.round(x).toLocaleString('en');
    return [
      `seeded ${n(LARGE)} certificates (signed, no PDF) in ${seedSeconds.toFixed(0)} s`,
      `GET /v/{number}?s=… JSON at ${n(LARGE)} vs ${n(SMALL)} certificates: ${ratio.toFixed(2)}× (${n(atLarge)} vs ${n(atSmall)} req/s, p99 ${largeP99} ms, ${ROUNDS} alternating rounds of ${SECONDS} s over ${SAMPLES} certificates, errors ${errors}) (target ≥ 0.9×) ${ratio >= 0.9 ? 'PASS' : 'MISS'}`,
      `database bytes per certificate: ${n(perCertificate)} B (rows and indexes; the PDF is not in it) (target none) INFO`,
    ];
  } finally {
    await small.stop();
    await large.stop();
  }
}
