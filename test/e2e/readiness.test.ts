/**
 * /healthz says ready only when the service can do its work (issue 12, D15), on both runtimes: a server
 * whose trust store holds no issuing authority (after `keys init`, before `authority add`) answers 503 in
 * words that name the next step, while /livez — no I/O — still answers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';

const keys = mkdtempSync(join(tmpdir(), 'ecert-no-authority-'));
let server: RunningServer;

beforeAll(async () => {
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/main.ts', 'keys', 'init', '--dir', join(keys, 'keys')], { cwd: ROOT });
  server = await startServer({ ECERT_KEYS: join(keys, 'keys') }, '/livez');
});
afterAll(async () => {
  await server?.stop();
  rmSync(keys, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is not ready without an issuing authority: 503, in words, naming `authority add`', async () => {
    expect((await fetch(`${server.baseUrl}/livez`)).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 24 }, () => fetch(`${server.baseUrl}/healthz`)));
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('cache-control')).toContain('no-store');
      const problem = (await res.json()) as { code: string; status: number; message: { zh: string; en: string } };
      expect(problem).toMatchObject({ code: 'keys_unavailable', status: 503 });
      expect(problem.message.zh).toContain('没有签发机构');
      expect(problem.message.en).toContain('authority add');
    }
  });
});
