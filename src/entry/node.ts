/**
 * @module entry/node
 * `npm start`: the service on Node with an embedded SQLite file. Prints where to click and how to get a
 * demo token. The only file (with the CLI) that knows it runs on Node.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../http/app.js';
import { loadConfig } from './config.js';
import { openNodeContext } from './nodeContext.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const context = await openNodeContext(config);
  context.deps.clientAddress = (c) => getConnInfo(c).remote.address ?? 'unknown';
  const log = (message: string, error?: unknown) => console.error(`[ecert] ${message}`, error instanceof Error ? error.message : (error ?? ''));
  const app = createApp(context.deps, log);
  await context.deps.fonts.load(); // parse the 15 MB font once, before the first issuance waits for it
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const trust = context.deps.trust();
    void trust.then((t) => {
      console.log(`职称电子证书服务已启动 / ecert is listening on ${config.publicUrl} (port ${info.port})`);
      console.log(`  数据库 database: ${config.db}   密钥 keys: ${config.keys}${t.isDemo ? '  ⚠ 演示密钥 DEMO KEYS — public, for trying only' : ''}`);
      console.log(`  API 文档 docs:   ${config.publicUrl}/docs`);
      console.log(`  健康检查 health: ${config.publicUrl}/healthz`);
      // The authority that may confirm the most levels: the region title office in the demo chain.
      const demo = [...t.authorities].sort((a, b) => b.levels.length - a.levels.length)[0]?.code ?? 'GXZGB';
      const env = process.env.ECERT_DB ? `ECERT_DB=${config.db} ` : '';
      console.log(`  演示令牌 demo token:  TOKEN=$(${env}npm run -s cli -- token create --org ${demo} --role issuer)`);
      console.log(`  颁发示例 try it:      curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d @examples/issue.json ${config.publicUrl}/api/v1/certificates`);
      console.log('  then open the verifyUrl of the answer in a browser / 在浏览器中打开返回的 verifyUrl');
    });
  });
  const stop = () => {
    server.close(() => {
      context.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
