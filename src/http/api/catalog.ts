/**
 * @module http/api/catalog
 * The title catalog, so clients pick series codes and title names rather than guess them.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CATALOG_SOURCE, listSeries } from '../../domain/catalog.js';
import { LEVELS } from '../../domain/levels.js';
import type { AppEnv } from '../env.js';

const SeriesSchema = z
  .object({
    code: z.string(),
    name: z.string().openapi({ example: '工程技术' }),
    nameEn: z.string(),
    titles: z.array(
      z.object({
        name: z.string().openapi({ example: '高级工程师' }),
        level: z.enum(LEVELS),
        legacy: z.literal(true).optional().openapi({ description: 'a title name from before the reform, at the level the reform mapped it to' }),
      }),
    ),
  })
  .openapi('Series');

const route = createRoute({
  method: 'get',
  path: '/api/v1/catalog/series',
  summary: '职称系列目录 / Catalog of title series',
  operationId: 'listTitleSeries',
  security: [],
  responses: { 200: { content: { 'application/json': { schema: z.array(SeriesSchema) } }, description: `the national title series (basis: ${CATALOG_SOURCE.basis.map((d) => d.number ?? d.title).join('; ')}); sources per series at /api/v1/catalog/source` } },
});

const source = createRoute({
  method: 'get',
  path: '/api/v1/catalog/source',
  summary: '目录依据的文件 / Documents the catalog follows',
  operationId: 'getCatalogSource',
  security: [],
  responses: { 200: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, description: 'basis, per-series documents, and entries awaiting review' } },
});

export function catalogRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(source, (c) => c.json(CATALOG_SOURCE as unknown as Record<string, unknown>, 200));
  const body = JSON.stringify(listSeries().map(({ code, name, nameEn, titles }) => ({ code, name, nameEn, titles })));
  app.openapi(route, (c) => c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }) as never);
}
