/**
 * Keys as an operator meets them: the demo keys refused in production; a fresh chain made with the CLI
 * passes `openssl verify`; rotating an authority's key keeps every earlier certificate verifying while new
 * ones use the new key, and both keys stay published.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('keys', () => {
  it('refuses the demo keys in production, by path and by the demo root marker', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ecert-prod-')), 'db.sqlite');
    const byPath = spawnSync(TSX, ['src/entry/node.ts'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', ECERT_DB: db, PORT: '1' }, encoding: 'utf8', timeout: 30_000 });
    expect(byPath.status).not.toBe(0);
    expect(byPath.stderr).toContain('keys.example');
    const copy = mkdtempSync(join(tmpdir(), 'ecert-democopy-'));
    cpSync(join(ROOT, 'keys.example'), copy, { recursive: true });
    const byMarker = spawnSync(TSX, ['src/entry/node.ts'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', ECERT_DB: db, ECERT_KEYS: copy, PORT: '1' }, encoding: 'utf8', timeout: 30_000 });
    expect(byMarker.status).not.toBe(0);
    expect(byMarker.stderr).toMatch(/演示|demo/i);
  });

  it('keys init + authority add make a chain openssl accepts', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ecert-keys-')), 'keys');
    expect(cli(['keys', 'init', '--dir', dir]).status).toBe(0);
    expect(cli(['keys', 'init', '--dir', dir]).status).not.toBe(0); // never overwrites a root
    const add = cli(['authority', 'add', '--dir', dir, '--code', 'LZZGB', '--name', '柳州市职称改革工作领导小组办公室', '--levels', 'intermediate,assistant,junior']);
    expect(add.status, add.stderr).toBe(0);
    const certFile = readdirSync(join(dir, 'authorities/LZZGB')).find((f) => !f.endsWith('.key.pem'))!;
    const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'authorities/LZZGB', certFile)], { encoding: 'utf8' });
    expect(out).toContain(': OK');
    expect(cli(['authority', 'add', '--dir', dir, '--code', 'LZZGB', '--name', 'x', '--levels', 'master']).status).not.toBe(0);
  });

  it('keys init and authority add without --dir use ECERT_KEYS, the directory the server reads', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ecert-keysenv-')), 'keys');
    const init = cli(['keys', 'init'], { ECERT_KEYS: dir });
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(join(dir, 'root.pem'))).toBe(true);
    const add = cli(['authority', 'add', '--code', 'LZZGB', '--name', '柳州市职称改革工作领导小组办公室', '--levels', 'intermediate'], { ECERT_KEYS: dir });
    expect(add.status, add.stderr).toBe(0);
    expect(readdirSync(join(dir, 'authorities/LZZGB')).length).toBe(2);
  });

  it('rotation: new certificates use the new key, earlier ones keep verifying', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'ecert-rotate-'));
    cpSync(join(ROOT, 'keys.example'), keys, { recursive: true });
    const db = join(mkdtempSync(join(tmpdir(), 'ecert-rotate-db-')), 'ecert.db');
    let server = await startServer({ ECERT_KEYS: keys, ECERT_DB: db });
    const issuer = await server.token('GXZGB', 'issuer');
    const issue = async () => {
      const res = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(issueBody()) });
      expect(res.status).toBe(201);
      return (await res.json()) as { number: string; verifyUrl: string; token: string };
    };
    const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const before = await issue();
    const oldKid = kidOf(before.token);
    await server.stop();

    const rotated = cli(['authority', 'add', '--dir', keys, '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--levels', 'senior_full,senior_associate,intermediate,assistant,junior']);
    expect(rotated.status, rotated.stderr).toBe(0);
    server = await startServer({ ECERT_KEYS: keys, ECERT_DB: db });
    try {
      const after = await issue();
      expect(kidOf(after.token)).not.toBe(oldKid);
      const status = async (url: string) => ((await (await fetch(server.baseUrl + new URL(url).pathname + new URL(url).search, { headers: { Accept: 'application/json' } })).json()) as { status: string }).status;
      expect(await status(before.verifyUrl)).toBe('valid');
      expect(await status(after.verifyUrl)).toBe('valid');
      const jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, kidOf(after.token)]));
      const rootPem = readFileSync(join(keys, 'root.pem'), 'utf8');
      expect(rootPem).toContain('BEGIN CERTIFICATE');
    } finally {
      await server.stop();
    }
  });
});
