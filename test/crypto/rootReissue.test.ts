/**
 * A root made before the seal CA carries pathlen:0, so RFC 5280 path validation (openssl) refuses root → seal
 * CA → seal. New roots allow one CA below them; an old one is re-issued with its own key (crypto/createRootCa
 * reissueRootForSealCa, `keys root-reissue`): same subject, key and validity, so what it signed stays valid.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, SubjectKeyIdentifierExtension, X509CertificateGenerator } from '@peculiar/x509';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { createRootCa, reissueRootForSealCa, type CertificateAndKey } from '../../src/crypto/createRootCa.js';
import { createSealCa } from '../../src/crypto/createSealCa.js';
import { issueSealCertificate } from '../../src/crypto/issueSealCertificate.js';
import { loadSealCa } from '../../src/crypto/sealCa.js';
import { signCaseStatement, verifyCaseStatement } from '../../src/crypto/caseStatement.js';
import { parseCertificate } from '../../src/crypto/lib/certificate.js';
import { checkIssuedByRoot } from '../../src/crypto/lib/chain.js';
import { exportPrivateKeyPem, generateP256KeyPair, importPrivateKeyPem } from '../../src/crypto/lib/keys.js';
import { cli } from '../cli/support.js';

const dir = mkdtempSync(join(tmpdir(), 'ecert-reissue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const pathLength = (pem: string) => parseCertificate(pem)!.getExtension(BasicConstraintsExtension)?.pathLength;

/** A root as the service made them before issue 16: CA with pathlen:0. */
async function oldRoot(): Promise<CertificateAndKey> {
  const keys = await generateP256KeyPair();
  const cert = await X509CertificateGenerator.createSelfSigned({
    name: [{ C: ['CN'] }, { CN: ['旧根证书 Old Root'] }],
    keys,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2055-01-01T00:00:00Z'),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    extensions: [new BasicConstraintsExtension(true, 0, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true), await SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

const statement = (at: string) => ({ v: 1 as const, case: 'RC1', seq: 1, step: 'receive', opinion: '受理。', data: {}, person: { id: 'P1', name: '周敏' }, org: { code: 'NNLQ01', name: '南宁路桥工程有限公司' }, at, facts: 'f'.repeat(64), prev: null });

describe('roots and the seal CA', () => {
  it('a new root allows exactly one CA below it', async () => {
    expect(pathLength((await createRootCa({ commonName: '新根 New Root', validYears: 30 })).certPem)).toBe(1);
  });

  it('an old root refuses a seal CA in words; re-issued with its own key it takes one, and openssl validates root → seal CA → seal', async () => {
    const old = await oldRoot();
    const authority = await createAuthorityCertificate({ root: old, code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', levels: ['intermediate'], validYears: 10 });
    await expect(createSealCa({ root: old, validYears: 10 })).rejects.toThrow(/keys root-reissue/);

    const root = await reissueRootForSealCa(old);
    const [before, after] = [parseCertificate(old.certPem)!, parseCertificate(root.certPem)!];
    expect(pathLength(root.certPem)).toBe(1);
    expect(Buffer.from(after.subjectName.toArrayBuffer())).toEqual(Buffer.from(before.subjectName.toArrayBuffer()));
    expect([after.notBefore, after.notAfter, after.publicKey.toString('pem')]).toEqual([before.notBefore, before.notAfter, before.publicKey.toString('pem')]);
    expect(after.serialNumber).not.toBe(before.serialNumber);
    // What the old root signed chains to the re-issued one, for us and for openssl.
    expect(await checkIssuedByRoot(parseCertificate(authority.certPem)!, after, new Date())).toBeUndefined();
    expect(openssl('verify', '-CAfile', file('root.pem', root.certPem), file('authority.pem', authority.certPem))).toContain('OK');

    const made = await createSealCa({ root, validYears: 10 });
    const ca = (await loadSealCa([made], after))!;
    const seal = await issueSealCertificate(ca, { code: 'NNLQ01', name: '南宁路桥工程有限公司', uscc: '91440300708461136T' }, new Date());
    file('ca.pem', made.certPem);
    file('seal.pem', seal.certPem);
    expect(openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'ca.pem'), join(dir, 'seal.pem'))).toContain('OK');
    expect(() => openssl('verify', '-CAfile', file('old.pem', old.certPem), '-untrusted', join(dir, 'ca.pem'), join(dir, 'seal.pem'))).toThrow(/path length/);

    // Our own check agrees: a statement sealed under it verifies against the re-issued root, not the old one.
    const jws = await signCaseStatement(statement(new Date().toISOString()), { privateKey: await importPrivateKeyPem(exportedPkcs8(seal)), x5c: [pemBody(seal.certPem), pemBody(made.certPem), pemBody(root.certPem)] });
    expect((await verifyCaseStatement(jws, { rootPem: root.certPem })).valid).toBe(true);
    const refused = await verifyCaseStatement(jws, { rootPem: old.certPem });
    expect(refused.valid ? '' : refused.reason.zh).toContain('pathlen:0');
  });

  it('keys root-reissue re-issues root.pem once, keeping the old one beside it', async () => {
    const keys = join(dir, 'keys');
    const old = await oldRoot();
    execFileSync('mkdir', ['-p', keys]);
    writeFileSync(join(keys, 'root.pem'), old.certPem);
    writeFileSync(join(keys, 'root.key.pem'), old.keyPem);
    const first = await cli(['keys', 'root-reissue', '--dir', keys]);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain('pathlen:1');
    expect(pathLength(readFileSync(join(keys, 'root.pem'), 'utf8'))).toBe(1);
    expect(readFileSync(join(keys, 'root.pathlen0.pem'), 'utf8')).toBe(old.certPem);
    const again = await cli(['keys', 'root-reissue', '--dir', keys]);
    expect(again.code).toBe(2);
    expect(existsSync(join(keys, 'root.key.pem'))).toBe(true);
  }, 60_000);
});

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
function exportedPkcs8(seal: { pkcs8: Uint8Array }): string {
  return `-----BEGIN PRIVATE KEY-----\n${Buffer.from(seal.pkcs8).toString('base64')}\n-----END PRIVATE KEY-----\n`;
}
