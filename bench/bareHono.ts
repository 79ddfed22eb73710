/**
 * The yardstick of `npm run bench`: a bare Hono "hello" on @hono/node-server, built from this project's own
 * node_modules (the same versions the service runs on), started by bench/http.ts beside the real server.
 * `PUT /floor` (a JSON `{ body, headers }`) makes `GET /floor` answer exactly those bytes and headers from
 * memory: the floor for a payload, what Hono and Node cost to send our own answer with no work behind it.
 */
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';

const app = new Hono();
let floor: { body: string; headers: Record<string, string> } | undefined;
app.get('/', (c) => c.text('Hello Hono!'));
app.put('/floor', async (c) => {
  floor = await c.req.json();
  return c.text('ok');
});
app.get('/floor', (c) => (floor ? c.body(floor.body, 200, floor.headers) : c.notFound()));
const server = createAdaptorServer({ fetch: app.fetch }) as Server;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
