/**
 * storage/seals on a real SQLite file (issue 16 items 1 and 5): what the database holds of a seal is its
 * certificate and a ciphertext — the file has no private key in PEM or PKCS#8 form, the ciphertext opens
 * only under the master key kept outside it, and a copy of the database with another master key cannot seal.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entry/config.js';
import { openNodeContext, type NodeContext } from '../../src/entry/nodeContext.js';
import { importSealMasterKey, newSealMasterKeyText, openPrivateKey } from '../../src/crypto/sealVault.js';
import { createSeal, revokeSeal, rotateSeal, sealSigner } from '../../src/services/seals.js';
import type { Actor } from '../../src/services/context.js';
import { ROOT } from '../support/server.js';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { writeAuthority, writeRoot } from '../../src/entry/keysDir.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-seals-'));
const dbPath = join(dir, 'ecert.db');
const KEYS = join(ROOT, 'keys.example');
const actor: Actor = { orgCode: 'GXZGB', role: 'admin', tokenId: 't', personId: 'P1', personName: '管理员' };
let context: NodeContext;

beforeAll(async () => {
  context = await openNodeContext(loadConfig({ ECERT_DB: dbPath, ECERT_KEYS: KEYS }));
  const { organisations } = context.deps;
  await organisations.upsert({ code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', kind: 'region_title_office', parentCode: null }, new Date().toISOString());
  await organisations.upsert({ code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'GXZGB' }, new Date().toISOString());
  await organisations.setUscc('NNZGB', '91350100M000100Y43');
  await createSeal(context.deps, actor, 'NNZGB');
  context.db.pragma('wal_checkpoint(TRUNCATE)');
}, 60_000);
afterAll(() => {
  context?.close();
  rmSync(dir, { recursive: true, force: true });
});

// DER of a P-256 PKCS#8 private key begins so (SEQUENCE, version 0, AlgorithmIdentifier id-ecPublicKey).
const PKCS8_EC_PREFIX = Buffer.from('308187020100301306072a8648ce3d020106082a8648ce3d030107', 'hex');

describe('seal keys in the database file', () => {
  it('the file holds the seal certificate but no private key: no PEM armour, no PKCS#8 DER, no base64 of one', () => {
    const bytes = readFileSync(dbPath);
    expect(bytes.includes(Buffer.from('BEGIN CERTIFICATE'))).toBe(true);
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(bytes.includes(PKCS8_EC_PREFIX)).toBe(false);
    expect(bytes.includes(Buffer.from(PKCS8_EC_PREFIX.toString('base64').slice(0, 24)))).toBe(false);
  });

  it('the stored ciphertext opens under the master key outside the database, and not under another', async () => {
    const row = (await context.deps.seals.active('NNZGB'))!;
    const binding = { sealId: row.id, orgCode: 'NNZGB' };
    const master = await importSealMasterKey(readFileSync(join(KEYS, 'seal-master.key'), 'utf8'), { production: false });
    expect(row.sealedKey.masterKeyId).toBe(master.id);
    await expect(openPrivateKey(master, row.sealedKey, binding)).resolves.toBeDefined();
    const other = await importSealMasterKey(newSealMasterKeyText(), { production: false });
    await expect(openPrivateKey(other, row.sealedKey, binding)).rejects.toMatchObject({ code: 'keys_unavailable' });
  });

  it('a copy of the database served with another master key cannot seal anything', async () => {
    const copy = join(dir, 'copy.db');
    copyFileSync(dbPath, copy);
    const stranger = join(dir, 'stranger.key');
    const { writeSealMasterKey } = await import('../../src/entry/keysDir.js');
    await writeSealMasterKey(stranger, newSealMasterKeyText());
    const copied = await openNodeContext(loadConfig({ ECERT_DB: copy, ECERT_KEYS: KEYS, ECERT_SEAL_MASTER_KEY_FILE: stranger }));
    try {
      await expect(sealSigner(copied.deps, 'NNZGB')).rejects.toMatchObject({ code: 'keys_unavailable' });
    } finally {
      copied.close();
    }
    const none = await openNodeContext(loadConfig({ ECERT_DB: copy, ECERT_KEYS: KEYS, ECERT_SEAL_MASTER_KEY_FILE: join(dir, 'absent.key') }));
    try {
      await expect(sealSigner(none.deps, 'NNZGB')).rejects.toMatchObject({ code: 'keys_unavailable' });
    } finally {
      none.close();
    }
    // The service with the right key outside still signs.
    expect((await sealSigner(context.deps, 'NNZGB')).orgCode).toBe('NNZGB');
  });

  it('a rotation that read the seal before it was revoked lands nothing: no new seal after a revocation', async () => {
    const { organisations } = context.deps;
    await organisations.upsert({ code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'NNZGB' }, new Date().toISOString());
    await organisations.setUscc('NNJTJ', '91440300708461136T');
    const first = await createSeal(context.deps, actor, 'NNJTJ');
    const stale = await context.deps.seals.active('NNJTJ');
    await revokeSeal(context.deps, actor, 'NNJTJ', first.id, '泄露');
    // The rotation read the seal as active just before the revocation landed.
    const seals = Object.assign(Object.create(context.deps.seals) as typeof context.deps.seals, { active: async () => stale });
    await expect(rotateSeal({ ...context.deps, seals }, actor, 'NNJTJ')).rejects.toMatchObject({ code: 'conflict' });
    expect((await context.deps.seals.list('NNJTJ')).map((seal) => seal.status)).toEqual(['revoked']);
  });

  it('one active seal per organisation is also the schema’s rule (partial unique index)', () => {
    const row = context.db.prepare("SELECT * FROM seals WHERE org_code = 'NNZGB' AND status = 'active'").get() as Record<string, unknown>;
    expect(() => context.db.prepare('INSERT INTO seals SELECT ?, org_code, kid, certificate_pem, uscc, not_before, not_after, key_ciphertext, key_iv, master_key_id, status, created_at, created_by, NULL, NULL, NULL, NULL FROM seals WHERE id = ?').run('SEALdup', row.id)).toThrow(/UNIQUE/);
  });

  it('the demo master key stops a production start (real keys otherwise), by path and copied elsewhere', async () => {
    const realKeys = join(dir, 'keys');
    const root = await createRootCa({ commonName: '测试根证书', validYears: 30 });
    await writeRoot(realKeys, root);
    const authority = await createAuthorityCertificate({ root, code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', levels: ['intermediate'], validYears: 10 });
    await writeAuthority(realKeys, { ...authority, code: 'GXZGB' });
    const start = (file: string) => openNodeContext(loadConfig({ ECERT_DB: join(dir, 'prod.db'), ECERT_KEYS: realKeys, NODE_ENV: 'production', ECERT_SEAL_MASTER_KEY_FILE: file }));
    await expect(start(join(KEYS, 'seal-master.key'))).rejects.toMatchObject({ code: 'demo_keys_in_production' });
    copyFileSync(join(KEYS, 'seal-master.key'), join(dir, 'demo-copy.key'));
    await expect(start(join(dir, 'demo-copy.key'))).rejects.toMatchObject({ code: 'demo_keys_in_production' });
    const fine = await start(join(dir, 'stranger.key'));
    fine.close();
  });
});
