/**
 * Issue 16 items 1 and 5: the seal CA, an organisation's seal certificate (read back by openssl), the
 * encryption of seal keys at rest, and title-certificate verifiers refusing a seal key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSealCa } from '../../src/crypto/createSealCa.js';
import { issueSealCertificate, type IssuedSeal } from '../../src/crypto/issueSealCertificate.js';
import { loadSealCa, sealChain, type SealCa } from '../../src/crypto/sealCa.js';
import { importSealMasterKey, newSealMasterKeyText, openPrivateKey, sealPrivateKey, DEMO_SEAL_MASTER_KEY_ID } from '../../src/crypto/sealVault.js';
import { loadTrustStore } from '../../src/crypto/trustStore.js';
import { verifyCertificateToken } from '../../src/crypto/jws.js';
import { generateP256KeyPair, importPrivateKeyPem, kidOf, ES256_SIGN } from '../../src/crypto/lib/keys.js';
import { parseCertificate } from '../../src/crypto/lib/certificate.js';
import { bytesToBase64 } from '../../src/lib/base64.js';
import { LEVEL_POLICY_OIDS, ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from '../../src/crypto/oids.js';
import { DomainError } from '../../src/domain/errors.js';
import { certificatePayload, makeChain, type Chain } from './fixtures.js';
import { readFileSync } from 'node:fs';

const HOLDER = { code: 'NNRSJ', name: '南宁市人力资源和社会保障局', uscc: '91350100M000100Y43' };
let chain: Chain;
let ca: SealCa;
let caPem: string;
let seal: IssuedSeal;
const dir = mkdtempSync(join(tmpdir(), 'ecert-seal-'));

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });

beforeAll(async () => {
  chain = await makeChain();
  const made = await createSealCa({ root: chain.root, validYears: 10 });
  caPem = made.certPem;
  const store = await loadTrustStore({ ...chain.bundle, sealCa: [made] }, { production: false });
  ca = store.sealCa!;
  seal = await issueSealCertificate(ca, HOLDER, new Date());
  writeFileSync(join(dir, 'root.pem'), chain.root.certPem);
  writeFileSync(join(dir, 'ca.pem'), caPem);
  writeFileSync(join(dir, 'seal.pem'), seal.certPem);
});

describe('seal certificates (openssl reads them back)', () => {
  it('the seal CA: CA with pathlen 0, may only sign certificates and CRLs, the seal policy, issued by the root', () => {
    const text = openssl('x509', '-in', join(dir, 'ca.pem'), '-noout', '-text', '-nameopt', 'utf8');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
    expect(text).toContain(`Policy: ${SEAL_POLICY_OID}`);
    expect(text).toContain('organizationIdentifier=ECSEAL');
    expect(text).toContain('Issuer: C=CN, CN=测试根证书 Test Root');
  });

  it("an organisation's seal: O = name, organizationIdentifier = code, serialNumber = USCC, signature + non-repudiation, the seal policy and no level", () => {
    const text = openssl('x509', '-in', join(dir, 'seal.pem'), '-noout', '-text', '-nameopt', 'utf8');
    expect(text).toContain(`Subject: C=CN, O=${HOLDER.name}, organizationIdentifier=${HOLDER.code}, serialNumber=${HOLDER.uscc}, CN=${HOLDER.name}`);
    expect(text).toContain('Issuer: C=CN, organizationIdentifier=ECSEAL');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(text).toMatch(/Public Key Algorithm: id-ecPublicKey[\s\S]*NIST CURVE: P-256/);
    expect(text).toContain(`Policy: ${SEAL_POLICY_OID}`);
    for (const oid of Object.values(LEVEL_POLICY_OIDS)) expect(text).not.toContain(oid);
    expect(seal.x5c).toHaveLength(3);
  });

  it('the seal chains to the root through the seal CA (signatures checked by openssl)', () => {
    // -partial_chain with the CA trusted: the signature of the CA on the seal; then the root's on the CA.
    expect(openssl('verify', '-partial_chain', '-CAfile', join(dir, 'ca.pem'), join(dir, 'seal.pem'))).toContain('OK');
    expect(openssl('verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'ca.pem'))).toContain('OK');
  });

  it('sealChain gives [seal, seal CA, root] for the CA that issued it, and nothing for another seal CA', async () => {
    expect(await sealChain(ca, seal.certPem)).toEqual(seal.x5c);
    const other = await loadSealCa([await createSealCa({ root: chain.root, validYears: 10 })], chain.store.root.cert);
    expect(await sealChain(other!, seal.certPem)).toBeUndefined();
  });

  it('loadSealCa refuses a root-issued certificate that is not a pathLen-0 seal CA (an authority certificate)', async () => {
    await expect(loadSealCa([chain.bundle.authorities[0]!], chain.store.root.cert)).rejects.toThrow(DomainError);
  });
});

describe('seal keys at rest (AES-256-GCM under a master key outside the database)', () => {
  const binding = { sealId: 'SEALtest', orgCode: HOLDER.code };

  it('round trip: the key that comes back signs what the seal certificate verifies', async () => {
    const master = await importSealMasterKey(newSealMasterKeyText(), { production: true });
    const sealed = await sealPrivateKey(master, seal.pkcs8, binding);
    expect(sealed.masterKeyId).toBe(master.id);
    const key = await openPrivateKey(master, sealed, binding);
    expect(key.extractable).toBe(false);
    const message = new TextEncoder().encode('同意推荐');
    const signature = await crypto.subtle.sign(ES256_SIGN, key, message);
    const publicKey = await parseCertificate(seal.certPem)!.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
    expect(await crypto.subtle.verify(ES256_SIGN, publicKey, signature, message)).toBe(true);
    // Nothing of the PKCS#8 shows through: the ciphertext is not the key.
    expect(sealed.ciphertext).not.toContain(bytesToBase64(seal.pkcs8).slice(0, 40));
  });

  it('another master key cannot open it, nor can the right one for another seal or organisation', async () => {
    const master = await importSealMasterKey(newSealMasterKeyText(), { production: true });
    const other = await importSealMasterKey(newSealMasterKeyText(), { production: true });
    const sealed = await sealPrivateKey(master, seal.pkcs8, binding);
    await expect(openPrivateKey(other, sealed, binding)).rejects.toThrow(/another master key/);
    await expect(openPrivateKey(master, sealed, { ...binding, sealId: 'SEALother' })).rejects.toThrow(DomainError);
    await expect(openPrivateKey(master, sealed, { ...binding, orgCode: 'GXZGB' })).rejects.toThrow(DomainError);
  });

  it('the demo master key is refused in production; a key of the wrong size always', async () => {
    const demo = readFileSync(join(__dirname, '../../keys.example/seal-master.key'), 'utf8');
    expect((await importSealMasterKey(demo, { production: false })).id).toBe(DEMO_SEAL_MASTER_KEY_ID);
    await expect(importSealMasterKey(demo, { production: true })).rejects.toMatchObject({ code: 'demo_keys_in_production' });
    await expect(importSealMasterKey(bytesToBase64(new Uint8Array(16)), { production: false })).rejects.toMatchObject({ code: 'keys_unavailable' });
  });
});

describe('a seal key never passes for a title certificate signer', () => {
  it('a token signed by a real seal is refused at the chain check', async () => {
    const key = await importPrivateKeyPem(`-----BEGIN PRIVATE KEY-----\n${bytesToBase64(seal.pkcs8)}\n-----END PRIVATE KEY-----\n`);
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...certificatePayload('intermediate', HOLDER) })))
      .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: seal.kid, x5c: seal.x5c })
      .sign(key);
    const result = await verifyCertificateToken(jws, { rootPem: chain.store.rootPem });
    expect(result.valid).toBe(false);
    expect(result.checks.find((c) => c.name === 'chain')).toMatchObject({ ok: false, message: { zh: expect.stringContaining('单位电子印章') } });
  });

  it('even a root-issued signer with every level is refused once it carries the seal policy (it would pass without it)', async () => {
    const rootCert = parseCertificate(chain.root.certPem)!;
    const rootKey = await importPrivateKeyPem(chain.root.keyPem);
    const make = async (policies: string[]) => {
      const keys = await generateP256KeyPair();
      const cert = await X509CertificateGenerator.create({
        subject: [{ C: ['CN'] }, { [ORGANIZATION_IDENTIFIER_OID]: ['NNZGB'] }, { CN: ['南宁市职称改革工作领导小组办公室'] }],
        issuer: rootCert.subjectName,
        publicKey: keys.publicKey,
        signingKey: rootKey,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        extensions: [
          new BasicConstraintsExtension(false, undefined, true),
          new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
          new CertificatePolicyExtension(policies, false),
        ],
      });
      const x5c = [bytesToBase64(new Uint8Array(cert.rawData)), bytesToBase64(new Uint8Array(rootCert.rawData))];
      const payload = certificatePayload('intermediate', { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室' });
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...payload })))
        .setProtectedHeader({ alg: 'ES256', typ: 'ecert+jwt', kid: await kidOf(keys.publicKey), x5c })
        .sign(keys.privateKey);
      return verifyCertificateToken(jws, { rootPem: chain.store.rootPem });
    };
    expect((await make([LEVEL_POLICY_OIDS.intermediate])).valid).toBe(true);
    const sealed = await make([LEVEL_POLICY_OIDS.intermediate, SEAL_POLICY_OID]);
    expect(sealed.valid).toBe(false);
    expect(sealed.checks.find((c) => c.name === 'chain')?.ok).toBe(false);
  });
});
