import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import { DEMO_POLICY_OID, LEVEL_POLICY_OIDS, POLICY_ARC } from '../../src/crypto/oids.js';
import { readKeyBundle } from '../../src/entry/keysDir.js';
import { DomainError } from '../../src/domain/errors.js';
import { LEVELS } from '../../src/domain/levels.js';
import { makeChain, NNZGB_NAME, type Chain } from './fixtures.js';

let chain: Chain;
let dir: string;

function openssl(...args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  chain = await makeChain();
  dir = mkdtempSync(join(tmpdir(), 'ecert-chain-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trust chain', () => {
  it('passes openssl verify for every authority certificate', () => {
    const root = file('root.pem', chain.root.certPem);
    for (const authority of chain.bundle.authorities) {
      const result = openssl('verify', '-CAfile', root, file('authority.pem', authority.certPem));
      expect(result.output).toContain(': OK');
      expect(result.ok).toBe(true);
    }
  });

  it('fails openssl verify against another root', async () => {
    const other = await createRootCa({ commonName: '测试根证书 Test Root', validYears: 30 });
    const result = openssl('verify', '-CAfile', file('other.pem', other.certPem), file('a.pem', chain.bundle.authorities[0]!.certPem));
    expect(result.ok).toBe(false);
  });

  it('states the levels as certificate policies that openssl enforces', () => {
    const root = file('root.pem', chain.root.certPem);
    const nnzgb = file('nnzgb.pem', chain.bundle.authorities[1]!.certPem);
    const check = (level: keyof typeof LEVEL_POLICY_OIDS) =>
      openssl('verify', '-CAfile', root, '-policy_check', '-explicit_policy', '-policy', LEVEL_POLICY_OIDS[level], nnzgb).ok;
    expect(check('intermediate')).toBe(true);
    expect(check('junior')).toBe(true);
    expect(check('senior_associate')).toBe(false);
  });

  it('has the extensions the brief asks for, as openssl reads them', () => {
    const root = openssl('x509', '-in', file('root.pem', chain.root.certPem), '-noout', '-text').output;
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(root).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const authority = openssl('x509', '-in', file('a.pem', chain.bundle.authorities[1]!.certPem), '-noout', '-text', '-nameopt', 'utf8').output;
    expect(authority).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(authority).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(authority).toContain('Subject Key Identifier');
    expect(authority).toContain('Authority Key Identifier');
    expect(authority).toContain(`organizationIdentifier=NNZGB, CN=${NNZGB_NAME}`);
    expect(authority).toContain(`Policy: ${POLICY_ARC}.1.3`);
  });

  it('round-trips levels, code and name through the certificate', async () => {
    for (const levels of [[...LEVELS], ['junior'], ['senior_associate', 'intermediate', 'assistant']] as const) {
      const issued = await createAuthorityCertificate({ root: chain.root, code: 'GXUZP', name: '广西大学', levels, validYears: 5 });
      const store = await loadTrustStore({ root: { certPem: chain.root.certPem }, authorities: [issued] }, { production: false });
      const [key] = store.authorities;
      expect(key).toMatchObject({ kid: issued.kid, code: 'GXUZP', name: '广西大学', levels: [...levels] });
      expect(key!.x5c).toHaveLength(2);
      expect(key!.privateKey).toBeDefined();
    }
  });

  it('refuses bad input when creating certificates', async () => {
    const base = { root: chain.root, code: 'NNZGB', name: NNZGB_NAME, levels: ['junior'] as const, validYears: 10 };
    await expect(createAuthorityCertificate({ ...base, code: '../x' })).rejects.toMatchObject({ code: 'validation_failed', field: 'code' });
    await expect(createAuthorityCertificate({ ...base, levels: [] })).rejects.toMatchObject({ field: 'levels' });
    await expect(createAuthorityCertificate({ ...base, levels: ['senior' as never] })).rejects.toMatchObject({ field: 'levels' });
    await expect(createAuthorityCertificate({ ...base, validYears: 0 })).rejects.toMatchObject({ field: 'validYears' });
    const other = await createRootCa({ commonName: 'Other', validYears: 1 });
    await expect(createAuthorityCertificate({ ...base, root: { certPem: chain.root.certPem, keyPem: other.keyPem } })).rejects.toMatchObject({
      field: 'root.keyPem',
    });
  });

  it('keeps an authority within its root’s validity', async () => {
    const root = await createRootCa({ commonName: 'Short root', validYears: 2 });
    const issued = await createAuthorityCertificate({ root, code: 'NNZGB', name: NNZGB_NAME, levels: ['junior'], validYears: 10 });
    expect(new X509Certificate(issued.certPem).notAfter.getTime()).toBe(new X509Certificate(root.certPem).notAfter.getTime());
  });
});

describe('loading', () => {
  it('marks a demo root and refuses it in production', async () => {
    const demo = await makeChain({ demo: true });
    expect(demo.store.isDemo).toBe(true);
    expect(chain.store.isDemo).toBe(false);
    const subject = new X509Certificate(demo.root.certPem).subject;
    expect(subject).toContain('DEMO 仅供试用 — not for production');
    const error = await loadTrustStore(demo.bundle, { production: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('demo_keys_in_production');
    await expect(loadTrustStore(chain.bundle, { production: true })).resolves.toBeDefined();
  });

  it('loads keys.example for trying the service, and refuses it in production', async () => {
    const bundle = await readKeyBundle('keys.example');
    const store = await loadTrustStore(bundle, { production: false });
    expect(store.isDemo).toBe(true);
    expect(new X509Certificate(store.rootPem).getExtension('2.5.29.32')).not.toBeNull();
    expect(Object.fromEntries(store.authorities.map((a) => [a.code, a.levels]))).toEqual({
      GXUZP: ['senior_associate', 'intermediate', 'assistant'],
      GXZGB: [...LEVELS],
      NNZGB: ['intermediate', 'assistant', 'junior'],
    });
    await expect(loadTrustStore(bundle, { production: true })).rejects.toMatchObject({ code: 'demo_keys_in_production' });
    expect(DEMO_POLICY_OID).toBe(`${POLICY_ARC}.2`);
  });

  it('throws keys_unavailable for a broken bundle', async () => {
    const other = await makeChain();
    const [gx, nn] = chain.bundle.authorities as [{ certPem: string; keyPem: string }, { certPem: string; keyPem: string }];
    const broken = [
      { root: { certPem: 'not a certificate' }, authorities: [] },
      { root: chain.bundle.root, authorities: [{ certPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }] },
      { root: chain.bundle.root, authorities: [other.bundle.authorities[0]!] }, // another root's authority
      { root: chain.bundle.root, authorities: [{ certPem: gx.certPem, keyPem: nn.keyPem }] }, // wrong private key
      { root: chain.bundle.root, authorities: [{ certPem: gx.certPem, keyPem: 'garbage' }] },
      { root: chain.bundle.root, authorities: [gx, gx] }, // same key twice
      { root: { certPem: gx.certPem }, authorities: [nn] }, // an authority certificate as root
    ];
    for (const bundle of broken) {
      await expect(loadTrustStore(bundle, { production: false })).rejects.toMatchObject({ code: 'keys_unavailable' });
    }
  });

  it('refuses a root that has expired', async () => {
    const old = await createRootCa({ commonName: 'Old root', validYears: 1, notBefore: new Date('2001-01-01T00:00:00Z') });
    await expect(loadTrustStore({ root: { certPem: old.certPem }, authorities: [] }, { production: false })).rejects.toMatchObject({
      code: 'keys_unavailable',
    });
  });
});
