/**
 * @module http/routes/trust
 * What anyone needs to verify offline: every public key ever used (JWKS with kid and x5c) and the root
 * certificate at a fixed address. Both are public and cacheable.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../env.js';

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  summary: '全部签名公钥 / Every signing key ever used (JWKS, with x5c)',
  responses: { 200: { content: { 'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } }, description: 'JWKS' } },
});

const root = createRoute({
  method: 'get',
  path: '/.well-known/ecert-root.pem',
  summary: '根证书 / The trust root certificate (PEM)',
  responses: { 200: { content: { 'application/x-pem-file': { schema: z.string() } }, description: 'X.509 root, PEM' } },
});

export function trustRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(jwks, async (c) => {
    const trust = await deps.trust();
    return c.json(trust.jwks(), 200, { 'Cache-Control': 'public, max-age=300' });
  });
  app.openapi(root, async (c) => {
    const trust = await deps.trust();
    return c.body(trust.rootPem, 200, { 'Content-Type': 'application/x-pem-file', 'Cache-Control': 'public, max-age=3600' }) as never;
  });
}
