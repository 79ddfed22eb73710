/**
 * The operator's seal commands (issue 16): `seal master-key` writes a 0600 file and never overwrites it;
 * `keys seal-ca` issues the seal CA with the root key and `keys bundle` carries it; `org add --uscc` refuses a
 * wrong check character; `seal create|list|rotate|revoke` on a real SQLite file, never printing a key.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ecert-seal-cli-'));
const keys = join(dir, 'keys');
cpSync(join(ROOT, 'keys.example'), keys, { recursive: true });
rmSync(join(keys, 'seal-ca'), { recursive: true });
rmSync(join(keys, 'seal-master.key'));
const env = { ECERT_DB: join(dir, 'ecert.db'), ECERT_KEYS: keys };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- seal …', () => {
  it('makes the master key (0600, never overwritten) and the seal CA, which keys bundle carries', async () => {
    const made = await cli(['seal', 'master-key'], env);
    expect(made.code, made.stderr).toBe(0);
    expect(statSync(join(keys, 'seal-master.key')).mode & 0o777).toBe(0o600);
    expect(made.stdout).not.toContain(readFileSync(join(keys, 'seal-master.key'), 'utf8').trim());
    expect((await cli(['seal', 'master-key'], env)).code).toBe(2);
    const ca = await cli(['keys', 'seal-ca', '--dir', keys], env);
    expect(ca.code, ca.stderr).toBe(0);
    const bundle = JSON.parse((await cli(['keys', 'bundle', '--dir', keys], env)).stdout);
    expect(bundle.sealCa).toHaveLength(1);
  }, 60_000);

  it('org add --uscc checks the code; seal create, list, rotate and revoke work and print no key', async () => {
    const base = ['org', 'add', '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--kind', 'region_title_office'];
    const wrong = await cli([...base, '--uscc', '91350100M000100Y44'], env);
    expect([wrong.code, wrong.stderr.includes('校验位错误')]).toEqual([1, true]);
    expect((await cli([...base, '--uscc', '91350100M000100Y43'], env)).code).toBe(0);
    const created = await cli(['seal', 'create', '--org', 'GXZGB'], env);
    expect(created.code, created.stderr).toBe(0);
    expect((await cli(['seal', 'create', '--org', 'GXZGB'], env)).code).toBe(1);
    const rotated = await cli(['seal', 'rotate', '--org', 'GXZGB'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const listed = await cli(['seal', 'list', '--org', 'GXZGB'], env);
    const ids = [...listed.stdout.matchAll(/^(SEAL\S+)\s+(\w+)/gm)].map((m) => [m[1], m[2]]);
    expect(ids.map(([, status]) => status).sort()).toEqual(['active', 'retired']);
    const active = ids.find(([, status]) => status === 'active')![0]!;
    const revoked = await cli(['seal', 'revoke', '--org', 'GXZGB', '--id', active, '--reason', '测试'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    for (const out of [created, rotated, listed, revoked]) expect(out.stdout + out.stderr).not.toMatch(/PRIVATE KEY|ciphertext/);
  }, 120_000);
});
