/**
 * The 核实 log's two figures (issue 15): appends per second through the service — each record with its audit
 * row in one batch, heads signed when due, on a SQLite file in WAL mode — and `log check` over the whole chain.
 * `npm run bench` prints them beside the rest; alone: `BENCH_LOG_RECORDS=20000 node --import tsx bench/log.ts`
 * (add `--cpu-prof` to profile). Appends are measured twice: one caller after another (BENCH_LOG_RECORDS), then
 * BENCH_LOG_CLIENTS (32) concurrent callers (BENCH_LOG_CONCURRENT_RECORDS, at most 20,000 by default), where the chain
 * writer commits the writes that wait together (group commit); `log check` then walks everything appended.
 * BENCH_LOG_KEEP=1 keeps the database (its path is printed) for profiling `log check` alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/entry/config.js';
import { openNodeContext, PROJECT_ROOT } from '../src/entry/nodeContext.js';
import { recordVerification } from '../src/services/recordVerification.js';
import { runLogCheck, sqliteLogSource } from '../src/cli/logCheck.js';

/** Issue 15's targets. */
export const APPENDS_TARGET = 3000;
export const CHECK_TARGET = 150_000;

const figure = (name: string, value: number, unit: string, target: number, note = '') =>
  `${name}: ${Math.round(value).toLocaleString('en')} ${unit}${note} (target ≥ ${target.toLocaleString('en')}) ${value >= target ? 'PASS' : 'MISS'}`;

/** The 核实 log: appends per second through the service, then `log check` over the whole chain. */
export async function logBench(): Promise<string[]> {
  const records = Number(process.env.BENCH_LOG_RECORDS ?? 100_000);
  const clients = Math.max(2, Number(process.env.BENCH_LOG_CLIENTS ?? 32));
  const concurrentRecords = Number(process.env.BENCH_LOG_CONCURRENT_RECORDS ?? Math.min(records, 20_000));
  const dir = mkdtempSync(join(tmpdir(), 'ecert-bench-log-'));
  try {
    const context = await openNodeContext(loadConfig({ ECERT_DB: join(dir, 'log.db'), ECERT_KEYS: join(PROJECT_ROOT, 'keys.example') }));
    const actor = { orgCode: 'GXZGB', role: 'handler', tokenId: 'bench', personId: 'P_bench', personName: '赵六' };
    const request = (i: number) => ({
      subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
      method: 'phone' as const,
      phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' },
      checkedAt: '2026-11-20T10:30:00+08:00',
      result: 'genuine' as const,
      record: `电话核实第${i}次，对方确认该同志于2015年12月取得高级工程师资格。`,
      handler: { name: '赵六' },
    });
    let next = 0;
    /** Appends records [from, to) from `callers` concurrent callers: seconds taken, and CPU µs per append. */
    const appends = async (from: number, to: number, callers: number) => {
      next = from;
      const client = async () => {
        for (let i = next++; i < to; i = next++) await recordVerification(context.deps, actor, request(i));
      };
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await Promise.all(Array.from({ length: callers }, client));
      // CPU time of this process per append (user + system): what the figure would be on a quiet core.
      const cpu = process.cpuUsage(cpu0);
      return { seconds: (performance.now() - t0) / 1000, cpuEach: (cpu.user + cpu.system) / (to - from) };
    };
    const sequential = await appends(0, records, 1);
    const concurrent = await appends(records, records + concurrentRecords, clients);
    const total = records + concurrentRecords;
    const lines: string[] = [];
    const t1 = performance.now();
    const code = await runLogCheck(sqliteLogSource(context.db), readFileSync(join(PROJECT_ROOT, 'keys.example/root.pem'), 'utf8'), (line) => lines.push(line));
    const checkSeconds = (performance.now() - t1) / 1000;
    context.close();
    const appended = (n: number, who: string) => `核实 appends through the service with their audit rows (${n.toLocaleString('en')} records, SQLite file, WAL, ${who})`;
    return [
      figure(appended(records, 'one caller after another'), records / sequential.seconds, 'appends/s', APPENDS_TARGET, `, ${Math.round(sequential.cpuEach)} µs CPU each`),
      figure(appended(concurrentRecords, `${clients} concurrent callers`), concurrentRecords / concurrent.seconds, 'appends/s', APPENDS_TARGET, `, ${Math.round(concurrent.cpuEach)} µs CPU each`),
      figure(`log check (${total.toLocaleString('en')} records)`, code === 0 ? total / checkSeconds : 0, 'records/s', CHECK_TARGET, code === 0 ? '' : `, exit ${code}: ${lines.join(' | ')}`),
    ];
  } finally {
    if (process.env.BENCH_LOG_KEEP) console.error(`kept ${join(dir, 'log.db')}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  logBench().then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
