/**
 * @module cli/statusList
 * Issue 15: the offline verifier follows a credential's `credentialStatus.statusListCredential` to the list
 * it names — list 1 at /status/{code}/revocation, list n at /status/{code}/revocation/{n} — checks that list
 * is signed by the same authority (chained to the pinned root) and is the very list named, and reads the
 * credential's bit. A set bit is a revoked confirmation (notice 四(一)).
 */
import { gunzipSync } from 'node:zlib';
import { verifyCredential } from '../crypto/credential.js';
import type { Message } from '../domain/errors.js';

export interface StatusCheck {
  name: 'status_list';
  ok: boolean;
  message: Message;
  /** True when the list says revoked; undefined when the list could not be read. */
  revoked?: boolean;
}

/** The largest list we inflate: 2^24 entries (the most domain/statusList.ts allows), a guard against gzip bombs. */
const MAX_LIST_BYTES = 2 ** 21;

const fail = (zh: string, en: string): StatusCheck => ({ name: 'status_list', ok: false, message: { zh, en } });

/** The revocation entry of `credential.credentialStatus` (an object or an array of them). */
function revocationEntry(credential: Record<string, unknown>): { url: URL; index: number } | undefined {
  const status = credential['credentialStatus'];
  const entries = (Array.isArray(status) ? status : [status]) as Record<string, unknown>[];
  const entry = entries.find((e) => typeof e === 'object' && e !== null && e['type'] === 'BitstringStatusListEntry' && e['statusPurpose'] === 'revocation');
  const url = typeof entry?.['statusListCredential'] === 'string' && URL.canParse(entry['statusListCredential']) ? new URL(entry['statusListCredential']) : undefined;
  const indexText = entry?.['statusListIndex'];
  const index = typeof indexText === 'string' && /^(0|[1-9][0-9]{0,7})$/.test(indexText) ? Number(indexText) : NaN;
  if (!url || !/^https?:$/.test(url.protocol) || !Number.isInteger(index)) return undefined;
  return { url, index };
}

/**
 * Fetches the status list the credential names and reads its bit. `authorityCode` is the credential's
 * signer: the list must be signed by the same authority.
 * @example const check = await statusListCheck(credential, 'GXZGB', rootPem);
 */
export async function statusListCheck(credential: Record<string, unknown>, authorityCode: string, rootPem: string): Promise<StatusCheck> {
  const entry = revocationEntry(credential);
  if (!entry) return fail('凭证未注明撤销状态列表', 'the credential names no revocation status list');
  const { url, index } = entry;
  const where = `${url.href} #${index}`;
  let text: string;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/vc+jwt' } });
    if (!res.ok) return fail(`无法获取状态列表 ${url.href}（HTTP ${res.status}）`, `could not fetch the status list ${url.href} (HTTP ${res.status})`);
    text = (await res.text()).trim();
  } catch {
    return fail(`无法获取状态列表 ${url.href}`, `could not fetch the status list ${url.href}`);
  }
  const list = await verifyCredential(text, rootPem);
  if (!list.credential || !list.authority) {
    const why = list.problem ?? { zh: '未通过核验', en: 'did not verify' };
    return fail(`状态列表未通过核验：${why.zh}`, `the status list did not verify: ${why.en}`);
  }
  if (list.authority.code !== authorityCode) return fail('状态列表不是由同一机构签发的', 'the status list is signed by another authority');
  const subject = list.credential['credentialSubject'] as Record<string, unknown> | undefined;
  const types = list.credential['type'];
  if (list.credential['id'] !== url.href || !Array.isArray(types) || !types.includes('BitstringStatusListCredential') || subject?.['statusPurpose'] !== 'revocation') {
    return fail('取回的不是凭证所指的撤销状态列表', 'what came back is not the revocation list the credential names');
  }
  const encoded = subject['encodedList'];
  let bits: Uint8Array;
  try {
    if (typeof encoded !== 'string' || !encoded.startsWith('u')) throw new Error('not multibase base64url');
    bits = new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: MAX_LIST_BYTES }));
  } catch {
    return fail('状态列表内容无法解码', 'the status list cannot be decoded');
  }
  if (index >= bits.length * 8) return fail(`状态序号 ${index} 超出列表长度`, `status index ${index} is beyond the list`);
  const revoked = ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
  return revoked
    ? { name: 'status_list', ok: false, revoked, message: { zh: `已撤销（状态列表 ${where}）`, en: `revoked (status list ${where})` } }
    : { name: 'status_list', ok: true, revoked, message: { zh: `未撤销（状态列表 ${where}）`, en: `not revoked (status list ${where})` } };
}
