/**
 * The yardstick of `npm run bench`: a bare Hono "hello" on @hono/node-server, built from this project's own
 * node_modules (the same versions the service runs on), started by bench/http.ts beside the real server.
 */
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';

const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
const server = createAdaptorServer({ fetch: app.fetch }) as Server;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
