import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import { readKeyBundle, writeAuthority, writeRoot } from '../../src/entry/keysDir.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keys directory', () => {
  it('writes root and authorities, reads them back as a bundle', async () => {
    const keys = join(dir, 'keys');
    await expect(readKeyBundle(keys)).rejects.toMatchObject({ code: 'keys_unavailable' });
    const root = await createRootCa({ commonName: 'Dir root', validYears: 30 });
    const written = await writeRoot(keys, root);
    expect(statSync(written.keyPath).mode & 0o777).toBe(0o600);
    await expect(writeRoot(keys, root)).rejects.toMatchObject({ code: 'validation_failed' });

    const first = await createAuthorityCertificate({ root, code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', levels: ['junior'], validYears: 10 });
    const second = await createAuthorityCertificate({ root, code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', levels: ['junior'], validYears: 10 });
    const paths = await writeAuthority(keys, { ...first, code: 'NNZGB' });
    await writeAuthority(keys, { ...second, code: 'NNZGB' });
    expect(statSync(paths.keyPath).mode & 0o777).toBe(0o600);
    expect(paths.certPath).toBe(join(keys, 'authorities', 'NNZGB', `${first.kid}.pem`));
    await expect(writeAuthority(keys, { ...first, code: 'NNZGB' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(writeAuthority(keys, { ...first, code: '../evil' })).rejects.toMatchObject({ field: 'code' });
    await expect(writeAuthority(keys, { ...first, code: 'NNZGB', kid: '../../root' })).rejects.toMatchObject({ field: 'kid' });
    expect(readdirSync(join(keys, 'authorities'))).toEqual(['NNZGB']);

    const bundle = await readKeyBundle(keys);
    expect(bundle.root).toEqual(root);
    expect(bundle.authorities).toHaveLength(2);
    const store = await loadTrustStore(bundle, { production: true });
    expect([...store.kids()].sort()).toEqual([first.kid, second.kid].sort());
  });

  it('reads a retired key (certificate without private key) as verify-only', async () => {
    const keys = join(dir, 'retired');
    const root = await createRootCa({ commonName: 'Dir root', validYears: 30 });
    await writeRoot(keys, root);
    const issued = await createAuthorityCertificate({ root, code: 'GXZGB', name: '自治区职改办', levels: ['junior'], validYears: 10 });
    const { keyPath } = await writeAuthority(keys, { ...issued, code: 'GXZGB' });
    rmSync(keyPath);
    rmSync(join(keys, 'root.key.pem'));
    const bundle = await readKeyBundle(keys);
    expect(bundle.root.keyPem).toBeUndefined();
    expect(bundle.authorities).toEqual([{ certPem: issued.certPem }]);
    const store = await loadTrustStore(bundle, { production: false });
    expect(store.currentSigner('GXZGB')).toBeUndefined();
    expect(store.findByKid(issued.kid)?.privateKey).toBeUndefined();
  });
});
