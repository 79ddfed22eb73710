/**
 * @module http/pages/docsPage
 * /docs: the API reference rendered on the server from the OpenAPI document the code declares — no CDN,
 * no script. The machine-readable document is /openapi.json.
 */
import { pageHead } from './layout.js';

interface OpenApiDoc {
  info: { title: string; version: string };
  paths?: object;
}

type Operation = { summary?: string; security?: unknown[] };

export function docsPage(doc: OpenApiDoc) {
  const operations = Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), summary: op.summary ?? '', auth: Boolean(op.security?.length) })),
  );
  return (
    <html lang="zh-CN">
      {pageHead(doc.info.title, false)}
      <body>
        <main>
        <h1>{doc.info.title}</h1>
        <p>
          机器可读文档 / machine-readable: <a href="/openapi.json">/openapi.json</a>。需要令牌的接口使用 <code>Authorization: Bearer …</code>；令牌由{' '}
          <code>npm run -s cli -- token create --org GXZGB --role issuer</code> 生成。错误均为 RFC 9457 <code>application/problem+json</code>。
        </p>
        <table>
          <tbody>
            {operations.map((op) => (
              <tr>
                <td><code>{op.method}</code></td>
                <td><code>{op.path}</code></td>
                <td>{op.summary}{op.auth ? ' 🔒' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </main>
      </body>
    </html>
  );
}
