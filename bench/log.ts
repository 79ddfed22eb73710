/**
 * The 核实 log's two figures (issue 15): appends per second through the service — each record with its audit
 * row in one batch, heads signed when due, on a SQLite file in WAL mode — and `log check` over the whole chain.
 * `npm run bench` prints them beside the rest; alone: `BENCH_LOG_RECORDS=20000 node --import tsx bench/log.ts`
 * (add `--cpu-prof` to profile). BENCH_LOG_CLIENTS > 1 appends from that many concurrent callers instead of one;
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
  const clients = Math.max(1, Number(process.env.BENCH_LOG_CLIENTS ?? 1));
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
    const client = async () => {
      for (let i = next++; i < records; i = next++) await recordVerification(context.deps, actor, request(i));
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: clients }, client));
    const appendSeconds = (performance.now() - t0) / 1000;
    // CPU time of this process per append (user + system): what the figure would be on a quiet core.
    const cpu = process.cpuUsage(cpu0);
    const cpuPerAppend = (cpu.user + cpu.system) / records;
    const lines: string[] = [];
    const t1 = performance.now();
    const code = await runLogCheck(sqliteLogSource(context.db), readFileSync(join(PROJECT_ROOT, 'keys.example/root.pem'), 'utf8'), (line) => lines.push(line));
    const checkSeconds = (performance.now() - t1) / 1000;
    context.close();
    const who = clients === 1 ? 'one caller after another' : `${clients} concurrent callers`;
    return [
      figure(`核实 appends through the service with their audit rows (${records.toLocaleString('en')} records, SQLite file, WAL, ${who})`, records / appendSeconds, 'appends/s', APPENDS_TARGET, `, ${Math.round(cpuPerAppend)} µs CPU each`),
      figure(`log check (${records.toLocaleString('en')} records)`, code === 0 ? records / checkSeconds : 0, 'records/s', CHECK_TARGET, code === 0 ? '' : `, exit ${code}: ${lines.join(' | ')}`),
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
