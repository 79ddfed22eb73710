/**
 * @module entry/startupHints
 * What `npm start` tells the person who started it: where it listens, its process id and how to stop it,
 * and the CLI commands to try it. The commands carry every variable the server runs with that the CLI
 * would otherwise not see (NODE_ENV=production, ECERT_DB, ECERT_KEYS), quoted for a POSIX shell, so a token
 * lands in the server's database and not in a second one. Also the two steps that make real keys, which a
 * production start-up without them names.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LEVELS } from '../domain/levels.js';
import type { TrustStore } from '../crypto/trustStore.js';
import type { ServiceConfig } from './config.js';

/** What the CLI uses when it is given nothing: `npm run` starts it in the project directory. */
const CLI_DEFAULTS = { db: './data/ecert.db', keys: './keys.example' } as const;

/**
 * A word a POSIX shell reads back unchanged.
 * @example shellQuote("/tmp/o'ffice data/ecert.db") // "'/tmp/o'\\''ffice data/ecert.db'"
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `NAME=value ` for each setting in which the server differs from what `npm run cli` would assume.
 * @example cliEnvPrefix({ ...config, db: '/srv/ecert.db' }, '/opt/ecert') // "ECERT_DB=/srv/ecert.db "
 */
export function cliEnvPrefix(config: Pick<ServiceConfig, 'db' | 'keys' | 'production'>, projectRoot: string): string {
  const differs = (value: string, cliDefault: string) => resolve(value) !== resolve(projectRoot, cliDefault);
  const vars: string[] = [];
  if (config.production) vars.push('NODE_ENV=production');
  if (differs(config.db, CLI_DEFAULTS.db)) vars.push(`ECERT_DB=${shellQuote(resolve(config.db))}`);
  if (differs(config.keys, CLI_DEFAULTS.keys)) vars.push(`ECERT_KEYS=${shellQuote(resolve(config.keys))}`);
  return vars.map((v) => `${v} `).join('');
}

/** The address a command on this machine reaches the server at (not ECERT_PUBLIC_URL, which may be a proxy). */
export function localUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

const EXAMPLE_AUTHORITY = `--code GXZGB --name 广西壮族自治区职称改革工作领导小组办公室 --levels ${LEVELS.join(',')}`;

/**
 * The lines printed once the server listens.
 * @example for (const line of startupLines({ config, trust, port: 8787, pid: process.pid, projectRoot })) console.log(line);
 */
export function startupLines(input: { config: ServiceConfig; trust: TrustStore; port: number; pid: number; projectRoot: string }): string[] {
  const { config, trust, port, pid, projectRoot } = input;
  const local = localUrl(config.host, port);
  const lines = [
    `职称电子证书服务已启动 / ecert is listening on ${local} — 进程 process ${pid}`,
    `  停止 stop:       Ctrl-C 或 kill ${pid} — 先完成进行中的请求 / requests in flight finish first`,
  ];
  if (config.publicUrl !== local) lines.push(`  公开地址 public:  ${config.publicUrl}`);
  lines.push(
    `  数据库 database: ${config.db}   密钥 keys: ${config.keys}${trust.isDemo ? '  ⚠ 演示密钥 DEMO KEYS — public, for trying only' : ''}`,
    `  API 文档 docs:   ${config.publicUrl}/docs`,
    `  健康检查 health: ${config.publicUrl}/healthz`,
  );
  if (config.db === ':memory:') {
    lines.push('  内存数据库：命令行连不到它，无法创建令牌 / in-memory database: the CLI cannot reach it to make tokens');
    return lines;
  }
  // The authority that may confirm the most levels (the region title office in the demo chain).
  const signer = trust.authorities.filter((a) => a.privateKey).sort((a, b) => b.levels.length - a.levels.length)[0];
  if (!signer) {
    lines.push(
      '  ⚠ 尚无能签发的机构，还不能颁发证书 / no issuing authority with a signing key yet — nothing can be issued. Add one, then restart:',
      `    npm run cli -- authority add --dir ${shellQuote(config.keys)} ${EXAMPLE_AUTHORITY}`,
    );
    return lines;
  }
  const token = `TOKEN=$(${cliEnvPrefix(config, projectRoot)}npm run -s cli -- token create --org ${signer.code} --role issuer)`;
  if (!trust.isDemo) {
    lines.push(`  签发人令牌 issuer token:  ${token}`);
    return lines;
  }
  lines.push(
    `  演示令牌 demo token:  ${token}`,
    `  颁发示例 try it:      curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d @examples/issue.json ${local}/api/v1/certificates`,
    '  then open the verifyUrl of the answer in a browser / 在浏览器中打开返回的 verifyUrl',
  );
  return lines;
}

/**
 * The two steps that give a production server its keys, for the start-up error that lacks them.
 * @example console.error(keySetupSteps({ keys: './keys.example', production: true }, '/opt/ecert').join('\n'));
 */
export function keySetupSteps(config: Pick<ServiceConfig, 'keys'>, projectRoot: string): string[] {
  const demo = resolve(config.keys) === resolve(projectRoot, CLI_DEFAULTS.keys);
  const dir = shellQuote(demo ? 'keys' : config.keys);
  const hasRoot = !demo && existsSync(join(config.keys, 'root.pem'));
  return [
    '生产环境需要正式密钥，两步 / production needs real keys, in two steps:',
    `  1. npm run cli -- keys init --dir ${dir}${hasRoot ? '   （已有根证书 / root already there）' : ''}`,
    `  2. npm run cli -- authority add --dir ${dir} ${EXAMPLE_AUTHORITY}`,
    '     （每个签发机构一次，代码、名称、级别按实际填写 / once per issuing authority, with its own code, name and levels）',
    `然后 / then: NODE_ENV=production ECERT_KEYS=${dir} npm start`,
  ];
}
