/**
 * The CMS SignedData behind every PAdES signature (crypto/cms.ts): the chain is set in as its own DER, so the
 * bytes must be exactly what pkijs writes for the same SignedData with those certificates, and openssl must
 * verify the signature and the chain up to the root.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCms, withChain } from '../../src/crypto/cms.js';
import { loadKeys } from '../../src/entry/nodeContext.js';
import { base64ToBytes } from '../../src/lib/base64.js';
import type { CmsSigner } from '../../src/crypto/cms.js';

const ROOT = join(import.meta.dirname, '../..');
let signer: CmsSigner;

beforeAll(async () => {
  const trust = await loadKeys(join(ROOT, 'keys.example'), false);
  const key = trust.currentSigner('GXZGB')!;
  signer = { privateKey: key.privateKey!, x5c: key.x5c };
});

describe('signCms', () => {
  it('writes the very bytes pkijs writes for the same SignedData with the chain', async () => {
    const der = await signCms([new TextEncoder().encode('before'), new TextEncoder().encode('after')], signer, new Date('2026-03-19T02:00:00Z'));
    const info = pkijs.ContentInfo.fromBER(der.slice().buffer);
    const signedData = new pkijs.SignedData({ schema: info.content });
    expect(signedData.certificates?.length).toBe(signer.x5c.length);
    // Re-encoded by pkijs from the parsed structure (signer info, signature and certificates as read).
    const again = new Uint8Array(new pkijs.ContentInfo({ contentType: info.contentType, content: signedData.toSchema(true) }).toSchema().toBER(false));
    expect(Buffer.from(again).equals(Buffer.from(der))).toBe(true);
    // And withChain on a SignedData without certificates puts them where pkijs does.
    const bare = new pkijs.SignedData({ version: 1, digestAlgorithms: signedData.digestAlgorithms, encapContentInfo: signedData.encapContentInfo, signerInfos: signedData.signerInfos });
    const chain = signer.x5c.map((b) => base64ToBytes(b)!);
    expect(Buffer.from(withChain(bare, chain)).equals(Buffer.from(der))).toBe(true);
    expect(asn1js.fromBER(der.slice().buffer).offset).toBe(der.length); // one whole DER element, nothing after it
  });

  it('is verified by openssl cms, chain and all, against the root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecert-cms-'));
    const content = new TextEncoder().encode('%PDF-1.7 the signed byte range, in two parts');
    const der = await signCms([content.subarray(0, 10), content.subarray(10)], signer, new Date());
    writeFileSync(join(dir, 'sig.der'), der);
    writeFileSync(join(dir, 'content.bin'), content);
    const verify = (file: string) =>
      execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, file), '-CAfile', join(ROOT, 'keys.example/root.pem'), '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' }).toString();
    expect(() => verify('content.bin')).not.toThrow();
    writeFileSync(join(dir, 'other.bin'), new TextEncoder().encode('%PDF-1.7 the signed byte range, in two partz'));
    expect(() => verify('other.bin')).toThrow();
    const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-print_certs', '-noout'], { stdio: 'pipe' }).toString();
    expect(certs.match(/subject=/g)?.length).toBe(signer.x5c.length);
  });
});
