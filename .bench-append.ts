import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeContext } from './src/entry/nodeContext.js';
import { loadConfig } from './src/entry/config.js';
import { recordVerification } from './src/services/recordVerification.js';
const N = Number(process.env.N ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'ecert-ba-'));
const context = await openNodeContext(loadConfig({ ECERT_DB: join(dir, 'log.db'), ECERT_KEYS: join(process.cwd(), 'keys.example') }));
const actor = { orgCode: 'GXZGB', role: 'handler', tokenId: 'bench', personId: 'P_bench', personName: '赵六' };
const request = (i: number) => ({
  subject: { holderName: '李四', idNumber: '450103198501010026', titleName: '高级工程师', evaluatingBody: '湖南省工程技术高级职务评审委员会', acquiredOn: '2015-12-30' },
  method: 'phone' as const,
  phone: { organisation: '湖南省人力资源和社会保障厅', position: '科员', name: '王五', number: '0731-84900000', calledAt: '2026-11-20T10:30:00+08:00' },
  checkedAt: '2026-11-20T10:30:00+08:00', result: 'genuine' as const,
  record: `电话核实第${i}次，对方确认该同志于2015年12月取得高级工程师资格。`, handler: { name: '赵六' },
});
for (let i = 0; i < 500; i++) await recordVerification(context.deps, actor, request(i)); // warm
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < N; i++) await recordVerification(context.deps, actor, request(i));
const wall = (performance.now() - t0) / 1000; const cpu = process.cpuUsage(c0); const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({ wallRate: Math.round(N / wall), cpuRate: Math.round(N / cpuS) }));
context.close(); rmSync(dir, { recursive: true, force: true });
