/**
 * Issue 15: the offline verifier follows a credential's statusListCredential to the list it names (list 2
 * here) and trusts that list only when it is signed under the pinned root by the same authority and is the
 * very list named; a set bit fails the verdict.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyOffline } from '../../src/cli/verify.js';
import { signCredential } from '../../src/crypto/credential.js';
import { bitstring } from '../../src/domain/statusList.js';
import { makeChain, type Chain } from '../crypto/fixtures.js';

const BASE = 'https://ecert.example';
const LIST2 = `${BASE}/status/GXZGB/revocation/2`;
const INDEX = 4242;

let chain: Chain;
let vc: string;

beforeAll(async () => {
  chain = await makeChain();
  vc = await signCredential(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'ProfessionalTitleCredential'],
      issuer: { id: `${BASE}/authorities/GXZGB` },
      validFrom: new Date().toISOString(),
      credentialSubject: { hasTitle: { certificateNumber: '26K7Q2M9XHT' } },
      credentialStatus: { id: `${LIST2}#${INDEX}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(INDEX), statusListCredential: LIST2 },
    },
    chain.gxzgb,
  );
});
afterEach(() => vi.unstubAllGlobals());

async function list(revoked: number[], options: { id?: string; signer?: Chain['gxzgb'] } = {}): Promise<string> {
  const encoded = `u${Buffer.from(gzipSync(bitstring(revoked))).toString('base64url')}`;
  return signCredential(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: options.id ?? LIST2,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: `${BASE}/authorities/GXZGB` },
      validFrom: new Date().toISOString(),
      credentialSubject: { id: `${LIST2}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encoded },
    },
    options.signer ?? chain.gxzgb,
  );
}

/** Serves `body` at list 2's address (and 404 elsewhere); returns the addresses asked for. */
function serve(body: string): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (input: string | URL) => {
    asked.push(String(input));
    return String(input) === LIST2 ? new Response(body, { headers: { 'Content-Type': 'application/vc+jwt' } }) : new Response('', { status: 404 });
  });
  return asked;
}

async function run(subject: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await verifyOffline(subject, chain.root.certPem, (line) => lines.push(line));
  return { code, lines };
}

const statusLine = (lines: string[]) => lines.find((line) => line.includes('status_list:'));

describe('the CLI follows statusListCredential', () => {
  it('reads the bit in the list the credential names (list 2): valid when clear', async () => {
    const asked = serve(await list([INDEX - 2, INDEX + 2]));
    const { code, lines } = await run(vc);
    expect(asked).toEqual([LIST2]);
    expect(statusLine(lines)).toBe(`✓ status_list: 未撤销（状态列表 ${LIST2} #${INDEX}） / not revoked (status list ${LIST2} #${INDEX})`);
    expect(lines.at(-1)).toBe('结论 / verdict: 有效 VALID');
    expect(code).toBe(0);
  });

  it('fails when the bit is set', async () => {
    serve(await list([INDEX]));
    const { code, lines } = await run(vc);
    expect(statusLine(lines)).toContain('✗ status_list: 已撤销');
    expect(code).toBe(1);
  });

  it('trusts no list signed by another authority, nor a list that is not the one named, nor an unreachable one', async () => {
    serve(await list([], { signer: chain.nnzgb }));
    expect(statusLine((await run(vc)).lines)).toContain('signed by another authority');
    serve(await list([], { id: `${BASE}/status/GXZGB/revocation` }));
    expect(statusLine((await run(vc)).lines)).toContain('not the revocation list the credential names');
    const other = await makeChain();
    serve(await list([], { signer: other.gxzgb }));
    expect(statusLine((await run(vc)).lines)).toContain('the status list did not verify');
    vi.stubGlobal('fetch', async () => new Response('', { status: 503 }));
    const { code, lines } = await run(vc);
    expect(statusLine(lines)).toContain('HTTP 503');
    expect(code).toBe(1);
  });

  it('fails a credential that does not chain to the pinned root', async () => {
    const other = await makeChain();
    serve(await list([]));
    const lines: string[] = [];
    expect(await verifyOffline(vc, other.root.certPem, (line) => lines.push(line))).toBe(1);
    expect(lines.some((line) => line.startsWith('✗ credential:'))).toBe(true);
  });
});
