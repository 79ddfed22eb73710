/**
 * The offline verifier as a user runs it: every check printed, exit code 0 only for a valid certificate,
 * a loud warning under the public demo root, and a QR link held to the token it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyOffline } from '../../src/cli/verify.js';
import { signCertificateToken } from '../../src/crypto/jws.js';
import { isDemoRoot } from '../../src/crypto/isDemoRoot.js';
import { loadTrustStore, type TrustStore } from '../../src/crypto/trustStore.js';
import { readKeyBundle } from '../../src/entry/keysDir.js';
import { linkProofOf } from '../../src/services/issueCertificate.js';
import { certificatePayload, GXZGB_NAME, makeChain, signManually, type Chain } from '../crypto/fixtures.js';

const KEYS_EXAMPLE = join(import.meta.dirname, '../../keys.example');
const NUMBER = '26K7Q2M9XHT';

let chain: Chain;
let good: string;

beforeAll(async () => {
  chain = await makeChain();
  good = await signCertificateToken(certificatePayload('intermediate', chain.nnzgb), chain.nnzgb);
});

afterEach(() => vi.unstubAllGlobals());

async function run(subject: string, rootPem = chain.root.certPem): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await verifyOffline(subject, rootPem, (line) => lines.push(line));
  return { code, lines };
}

const verdict = (lines: string[]) => lines.find((line) => line.startsWith('结论 / verdict'));
const demoWarnings = (lines: string[]) => lines.filter((line) => line.includes('PUBLIC demo root'));

describe('verifyOffline', () => {
  it('passes a token from a chain made with createRootCa / createAuthorityCertificate', async () => {
    const { code, lines } = await run(good);
    expect(code).toBe(0);
    for (const name of ['format', 'algorithm', 'chain', 'key_id', 'signature', 'authority', 'level_allowed']) {
      expect(lines.some((line) => line.startsWith(`✓ ${name}:`)), name).toBe(true);
    }
    expect(lines.some((line) => line.startsWith('✗'))).toBe(false);
    expect(verdict(lines)).toBe('结论 / verdict: 签名有效 VALID');
    expect(demoWarnings(lines)).toEqual([]);
  });

  it('fails a token one authority signed claiming to be another', async () => {
    const forged = await signManually(certificatePayload('junior', { code: 'GXZGB', name: GXZGB_NAME }), chain.nnzgb);
    const { code, lines } = await run(forged);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('✗')).map((line) => line.split(':')[0])).toEqual(['✗ authority']);
    expect(verdict(lines)).toContain('INVALID');
  });

  it('fails garbage and a foreign root with exit code 1', async () => {
    expect((await run('not-a-token')).code).toBe(1);
    const other = await makeChain();
    expect((await run(good, other.root.certPem)).code).toBe(1);
  });
});

describe('under the public demo root (keys.example)', () => {
  let demo: TrustStore;
  let demoRootPem: string;

  beforeAll(async () => {
    demo = await loadTrustStore(await readKeyBundle(KEYS_EXAMPLE), { production: false });
    demoRootPem = readFileSync(join(KEYS_EXAMPLE, 'root.pem'), 'utf8');
  });

  it('is recognised as a demo root, and ours is not', async () => {
    expect(isDemoRoot(demoRootPem)).toBe(true);
    expect(isDemoRoot(chain.root.certPem)).toBe(false);
    expect(isDemoRoot((await makeChain({ demo: true })).root.certPem)).toBe(true);
    expect(isDemoRoot('not a certificate')).toBe(false);
  });

  it('warns loudly, in Chinese and English, and still verifies', async () => {
    const gxuzp = demo.currentSigner('GXUZP')!;
    const token = await signCertificateToken(certificatePayload('intermediate', gxuzp), gxuzp);
    const { code, lines } = await run(token, demoRootPem);
    expect(code).toBe(0);
    expect(lines[0]).toContain('演示根证书');
    expect(lines[0]).toContain('私钥随代码公开');
    expect(lines[1]).toContain('a VALID verdict proves nothing');
    expect(verdict(lines)).toContain('proves nothing');
  });

  it('warns too when the token is a forgery with the published GXUZP key claiming GXZGB', async () => {
    const gxuzp = demo.currentSigner('GXUZP')!;
    const forged = await signManually(certificatePayload('intermediate', { code: 'GXZGB', name: GXZGB_NAME }), gxuzp);
    const { code, lines } = await run(forged, demoRootPem);
    expect(code).toBe(1);
    expect(demoWarnings(lines)).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('✗ authority:'))).toBe(true);
    expect(verdict(lines)).toContain('INVALID');
  });
});

describe('a QR link', () => {
  /** A server that answers every token request with `token` and every status request with `status`. */
  function serve(token: string, status: unknown = 'valid'): string[] {
    const requested: string[] = [];
    vi.stubGlobal('fetch', async (input: string | URL) => {
      const url = String(input);
      requested.push(url);
      return /\/token\?/.test(url) ? new Response(token) : Response.json({ status });
    });
    return requested;
  }

  it('passes when the token carries the link’s number and the link’s proof is the token’s', async () => {
    const requested = serve(good);
    const { code, lines } = await run(`https://ecert.example/v/${NUMBER}?s=${await linkProofOf(good)}`);
    expect(code).toBe(0);
    expect(lines.some((line) => line.startsWith('✓ link_number:'))).toBe(true);
    expect(lines.some((line) => line.startsWith('✓ link_proof:'))).toBe(true);
    expect(lines).toContain('✓ 服务器确认未撤销 / server confirms not revoked');
    expect(requested[0]).toBe(`https://ecert.example/v/${NUMBER}/token?s=${encodeURIComponent(await linkProofOf(good))}`);
  });

  it('fails when the link’s s is not the token’s proof', async () => {
    const other = await signCertificateToken(certificatePayload('junior', chain.nnzgb), chain.nnzgb);
    serve(good);
    const { code, lines } = await run(`https://ecert.example/v/${NUMBER}?s=${await linkProofOf(other)}`);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('✗')).map((line) => line.split(':')[0])).toEqual(['✗ link_proof']);
    expect(verdict(lines)).toContain('INVALID');
  });

  it('fails when the server answers with a genuine token of another number', async () => {
    const elsewhere = await signCertificateToken(certificatePayload('junior', chain.nnzgb, { number: '267ARE8S00H' }), chain.nnzgb);
    serve(elsewhere);
    const { code, lines } = await run(`https://ecert.example/v/${NUMBER}?s=${await linkProofOf(elsewhere)}`);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('✗')).map((line) => line.split(':')[0])).toEqual(['✗ link_number']);
  });

  it('fails on a revoked, unknown or unreadable server status, and on a link without a number', async () => {
    const link = `https://ecert.example/v/${NUMBER}?s=${await linkProofOf(good)}`;
    serve(good, 'revoked');
    expect((await run(link)).code).toBe(1);
    serve(good, '\u001b[2Jvalid');
    const { code, lines } = await run(link);
    expect(code).toBe(1);
    expect(lines).toContain('✗ 服务器状态 server status: unknown');
    serve(good);
    expect((await run('https://ecert.example/v/not-a-number?s=x')).code).toBe(1);
    expect((await run('https://ecert.example/elsewhere')).code).toBe(1);
  });
});
