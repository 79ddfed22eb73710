/**
 * Issue 15: the offline verifier follows a credential's statusListCredential to the list it names (list 2
 * here) and trusts that list only when it is signed under the pinned root by the same authority and is the
 * very list named; a set bit fails the verdict.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyOffline } from '../../src/cli/verify.js';
import { signCredential } from '../../src/crypto/credential.js';
import { bitstring, multiBitstring, statusMessages } from '../../src/domain/statusList.js';
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
    expect(lines.some((line) => line.includes('message_list'))).toBe(false); // a credential from before the message list
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

/**
 * Issue 19 item 3: a credential with a second, `message` entry (statusSize 2) at the same place of list 2's message
 * list. The CLI reads its 2-bit state through the entry's statusMessage, says it in words, and fails the verdict when
 * the state is not 有效 or disagrees with the revocation bit.
 */
describe('the CLI reads the message list beside the revocation list', () => {
  const MSG2 = `${BASE}/status/GXZGB/message/2`;
  const entries = (statusMessage: unknown = statusMessages(), statusSize: unknown = 2) => [
    { id: `${LIST2}#${INDEX}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(INDEX), statusListCredential: LIST2 },
    { id: `${MSG2}#${INDEX}`, type: 'BitstringStatusListEntry', statusPurpose: 'message', statusListIndex: String(INDEX), statusListCredential: MSG2, statusSize, statusMessage },
  ];
  const credentialWith = (credentialStatus: unknown) =>
    signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'ProfessionalTitleCredential'],
        issuer: { id: `${BASE}/authorities/GXZGB` },
        validFrom: new Date().toISOString(),
        credentialSubject: { hasTitle: { certificateNumber: '26K7Q2M9XHT' } },
        credentialStatus,
      },
      chain.gxzgb,
    );
  async function messageList(values: [number, number][], options: { purpose?: string; statusSize?: number } = {}): Promise<string> {
    const encoded = `u${Buffer.from(gzipSync(multiBitstring(values))).toString('base64url')}`;
    return signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: MSG2,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: { id: `${BASE}/authorities/GXZGB` },
        validFrom: new Date().toISOString(),
        credentialSubject: { id: `${MSG2}#list`, type: 'BitstringStatusList', statusPurpose: options.purpose ?? 'message', statusSize: options.statusSize ?? 2, statusMessages: statusMessages(), encodedList: encoded },
      },
      chain.gxzgb,
    );
  }
  function serveBoth(revocation: string, message: string): string[] {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (input: string | URL) => {
      asked.push(String(input));
      const body = String(input) === LIST2 ? revocation : String(input) === MSG2 ? message : undefined;
      return body ? new Response(body, { headers: { 'Content-Type': 'application/vc+jwt' } }) : new Response('', { status: 404 });
    });
    return asked;
  }
  const messageLine = (lines: string[]) => lines.find((line) => line.includes('message_list:'));

  it('a valid certificate: both lists read, the state said in words, verdict valid', async () => {
    const asked = serveBoth(await list([]), await messageList([[INDEX - 1, 2], [INDEX + 1, 3]]));
    const { code, lines } = await run(await credentialWith(entries()));
    expect(asked).toEqual([LIST2, MSG2]);
    expect(messageLine(lines)).toBe(`✓ message_list: 状态：有效（状态消息列表 ${MSG2} #${INDEX}） / state: valid (message list ${MSG2} #${INDEX})`);
    expect(code).toBe(0);
  });

  it('each ended state, with its revocation bit set, is said in words and fails the verdict', async () => {
    const vc2 = await credentialWith(entries());
    for (const [value, zh, en] of [[1, '已变更', 'superseded'], [2, '已撤销', 'revoked'], [3, '已注销', 'cancelled']] as const) {
      serveBoth(await list([INDEX]), await messageList([[INDEX, value]]));
      const { code, lines } = await run(vc2);
      expect(messageLine(lines)).toBe(`✗ message_list: 状态：${zh}（状态消息列表 ${MSG2} #${INDEX}） / state: ${en} (message list ${MSG2} #${INDEX})`);
      expect(lines.at(-1)).toBe('结论 / verdict: 无效 NOT VALID');
      expect(code).toBe(1);
    }
  });

  it('reports lists that disagree: an ended state with the bit clear, or 有效 with the bit set', async () => {
    const vc2 = await credentialWith(entries());
    serveBoth(await list([]), await messageList([[INDEX, 3]]));
    let out = await run(vc2);
    expect(messageLine(out.lines)).toContain('✗ message_list: 状态消息列表说“已注销”，撤销状态列表却说未撤销：两者不一致');
    expect(messageLine(out.lines)).toContain('they disagree');
    expect(out.code).toBe(1);
    serveBoth(await list([INDEX]), await messageList([]));
    out = await run(vc2);
    expect(messageLine(out.lines)).toContain('状态消息列表说“有效”，撤销状态列表却说已撤销');
    expect(out.code).toBe(1);
  });

  it('refuses a malformed message entry, a list that is not the message list named, and an unreachable message list', async () => {
    serveBoth(await list([]), await messageList([]));
    for (const bad of [entries(statusMessages().slice(0, 3)), entries(statusMessages(), 1), entries([...statusMessages().slice(0, 3), { status: '0x0', message: 'valid' }]), entries(statusMessages().map((m) => ({ ...m, message: 'gone' })))]) {
      const { code, lines } = await run(await credentialWith(bad));
      expect(messageLine(lines)).toContain('✗ message_list: 凭证的状态消息条目不合规范');
      expect(code).toBe(1);
    }
    const vc2 = await credentialWith(entries());
    serveBoth(await list([]), await messageList([], { purpose: 'revocation' }));
    expect(messageLine((await run(vc2)).lines)).toContain('not the message list the credential names');
    serveBoth(await list([]), await messageList([], { statusSize: 1 }));
    expect(messageLine((await run(vc2)).lines)).toContain('not the message list the credential names');
    serveBoth(await list([]), 'garbage');
    const { code, lines } = await run(vc2);
    expect(messageLine(lines)).toContain('the status list did not verify');
    expect(code).toBe(1);
  });
});
