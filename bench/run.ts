/**
 * `npm run bench`: the orchestrator. Each module measures its own figures and returns lines of the form
 * `<figure>: <value> (target <target>) <PASS|MISS>`; this prints them as one table.
 *  - http (bench/http.ts): /livez and GET /v/{number}?s=… JSON and HTML as ratios to a bare Hono "hello",
 *    alternating, same run (BENCH_EDGE=0 skips the workerd lines);
 *  - issuance (bench/issuance.ts): certificates issued per second through the API with the signed PDF, PDF render alone;
 *  - log: 核实 appends through the service, then `log check`;
 *  - scale (bench/scale.ts): verification JSON at 1,000 and at BENCH_SCALE_CERTS certificates, bytes per certificate.
 * BENCH_ONLY=http,scale runs only the named modules.
 */
import { httpBench } from './http.js';
import { issuanceBench } from './issuance.js';
import { logBench } from './log.js';
import { scaleBench } from './scale.js';

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
