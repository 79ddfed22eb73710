/**
 * @module cli/statusList
 * Issue 15: the offline verifier follows a credential's `credentialStatus.statusListCredential` to the list
 * it names — list 1 at /status/{code}/revocation, list n at /status/{code}/revocation/{n} — checks that list
 * is signed by the same authority (chained to the pinned root) and is the very list named, and reads the
 * credential's bit. A set bit is a revoked confirmation (notice 四(一)).
 *
 * Issue 19 item 3: a credential's second entry, in the `message` list (/status/{code}/message[/{n}]), gives its
 * state in 2 bits (W3C Bitstring Status List v1.0, statusSize 2): 有效, 已变更, 已撤销 or 已注销, read through the
 * entry's own `statusMessage` (what the issuer committed to at issuance) and printed in words. A state other than
 * 有效 whose revocation bit is clear, or 有效 with the bit set, is reported: the two lists disagree.
 */
import { gunzipSync } from 'node:zlib';
import { verifyCredential } from '../crypto/credential.js';
import { CERTIFICATE_STATE_NAMES, CERTIFICATE_STATES, type CertificateState } from '../domain/certificateState.js';
import type { Message } from '../domain/errors.js';
import { MESSAGE_STATUS_SIZE, readStatus } from '../domain/statusList.js';

export interface StatusCheck {
  name: 'status_list' | 'message_list';
  ok: boolean;
  message: Message;
  /** True when the list says revoked; undefined when the list could not be read. */
  revoked?: boolean;
  /** The message list's state of the credential; undefined when the list could not be read. */
  state?: CertificateState;
}

type Purpose = 'revocation' | 'message';
const NAME: Record<Purpose, StatusCheck['name']> = { revocation: 'status_list', message: 'message_list' };
const WORDS: Record<Purpose, Message> = { revocation: { zh: '撤销状态列表', en: 'revocation list' }, message: { zh: '状态消息列表', en: 'message list' } };

/** The largest list we inflate: 2^24 entries of 2 bits (the most domain/statusList.ts allows), a guard against gzip bombs. */
const MAX_LIST_BYTES = 2 ** 22;

const fail = (purpose: Purpose, zh: string, en: string): StatusCheck => ({ name: NAME[purpose], ok: false, message: { zh, en } });

/** The entry of `credential.credentialStatus` (an object or an array of them) for `purpose`. */
function entryOf(credential: Record<string, unknown>, purpose: Purpose): { url: URL; index: number; entry: Record<string, unknown> } | undefined {
  const status = credential['credentialStatus'];
  const entries = (Array.isArray(status) ? status : [status]) as Record<string, unknown>[];
  const entry = entries.find((e) => typeof e === 'object' && e !== null && e['type'] === 'BitstringStatusListEntry' && e['statusPurpose'] === purpose);
  const url = typeof entry?.['statusListCredential'] === 'string' && URL.canParse(entry['statusListCredential']) ? new URL(entry['statusListCredential']) : undefined;
  const indexText = entry?.['statusListIndex'];
  const index = typeof indexText === 'string' && /^(0|[1-9][0-9]{0,7})$/.test(indexText) ? Number(indexText) : NaN;
  if (!entry || !url || !/^https?:$/.test(url.protocol) || !Number.isInteger(index)) return undefined;
  return { url, index, entry };
}

/**
 * Fetches the list at `url`, verifies it under the root as the same authority's, checks it is the list named for
 * `purpose`, and inflates its bits; a failed StatusCheck when any of that does not hold.
 */
async function fetchList(url: URL, authorityCode: string, rootPem: string, purpose: Purpose): Promise<{ bits: Uint8Array; subject: Record<string, unknown> } | StatusCheck> {
  let text: string;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/vc+jwt' } });
    if (!res.ok) return fail(purpose, `无法获取状态列表 ${url.href}（HTTP ${res.status}）`, `could not fetch the status list ${url.href} (HTTP ${res.status})`);
    text = (await res.text()).trim();
  } catch {
    return fail(purpose, `无法获取状态列表 ${url.href}`, `could not fetch the status list ${url.href}`);
  }
  const list = await verifyCredential(text, rootPem);
  if (!list.credential || !list.authority) {
    const why = list.problem ?? { zh: '未通过核验', en: 'did not verify' };
    return fail(purpose, `状态列表未通过核验：${why.zh}`, `the status list did not verify: ${why.en}`);
  }
  if (list.authority.code !== authorityCode) return fail(purpose, '状态列表不是由同一机构签发的', 'the status list is signed by another authority');
  const subject = list.credential['credentialSubject'] as Record<string, unknown> | undefined;
  const types = list.credential['type'];
  const sizeOk = purpose === 'revocation' ? subject?.['statusSize'] === undefined || subject['statusSize'] === 1 : subject?.['statusSize'] === MESSAGE_STATUS_SIZE;
  if (list.credential['id'] !== url.href || !Array.isArray(types) || !types.includes('BitstringStatusListCredential') || subject?.['statusPurpose'] !== purpose || !sizeOk) {
    return fail(purpose, `取回的不是凭证所指的${WORDS[purpose].zh}`, `what came back is not the ${WORDS[purpose].en} the credential names`);
  }
  const encoded = subject['encodedList'];
  try {
    if (typeof encoded !== 'string' || !encoded.startsWith('u')) throw new Error('not multibase base64url');
    return { bits: new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: MAX_LIST_BYTES })), subject };
  } catch {
    return fail(purpose, '状态列表内容无法解码', 'the status list cannot be decoded');
  }
}

/**
 * Fetches the status list the credential names and reads its bit. `authorityCode` is the credential's
 * signer: the list must be signed by the same authority.
 * @example const check = await statusListCheck(credential, 'GXZGB', rootPem);
 */
export async function statusListCheck(credential: Record<string, unknown>, authorityCode: string, rootPem: string): Promise<StatusCheck> {
  const entry = entryOf(credential, 'revocation');
  if (!entry) return fail('revocation', '凭证未注明撤销状态列表', 'the credential names no revocation status list');
  const { url, index } = entry;
  const where = `${url.href} #${index}`;
  const read = await fetchList(url, authorityCode, rootPem, 'revocation');
  if ('name' in read) return read;
  const { bits } = read;
  if (index >= bits.length * 8) return fail('revocation', `状态序号 ${index} 超出列表长度`, `status index ${index} is beyond the list`);
  const revoked = ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
  return revoked
    ? { name: 'status_list', ok: false, revoked, message: { zh: `已撤销（状态列表 ${where}）`, en: `revoked (status list ${where})` } }
    : { name: 'status_list', ok: true, revoked, message: { zh: `未撤销（状态列表 ${where}）`, en: `not revoked (status list ${where})` } };
}

/**
 * The entry's `statusMessage` as the states each value stands for, when it is what the spec asks of a 2-bit status
 * (four elements, `status` 0x0…0x3) in our vocabulary; undefined otherwise.
 */
function committedStates(entry: Record<string, unknown>): Map<number, CertificateState> | undefined {
  const messages = entry['statusMessage'];
  if (entry['statusSize'] !== MESSAGE_STATUS_SIZE || !Array.isArray(messages) || messages.length !== 2 ** MESSAGE_STATUS_SIZE) return undefined;
  const states = new Map<number, CertificateState>();
  for (const m of messages as unknown[]) {
    const { status, message } = (typeof m === 'object' && m !== null ? m : {}) as { status?: unknown; message?: unknown };
    const value = typeof status === 'string' && /^0x[0-3]$/.test(status) ? Number(status) : NaN;
    const state = CERTIFICATE_STATES.find((s) => s === message);
    if (Number.isNaN(value) || !state || states.has(value)) return undefined;
    states.set(value, state);
  }
  return states;
}

/**
 * Issue 19 item 3: reads the credential's 2-bit state from the message list it names and says it in words;
 * undefined when the credential has no message entry (one issued before the message list). `revoked` is what
 * the revocation list said (when it could be read): a state that disagrees with it fails the check.
 * @example const check = await messageListCheck(credential, 'GXZGB', rootPem, revocation.revoked);
 */
export async function messageListCheck(credential: Record<string, unknown>, authorityCode: string, rootPem: string, revoked?: boolean): Promise<StatusCheck | undefined> {
  const found = entryOf(credential, 'message');
  if (!found) return undefined;
  const { url, index, entry } = found;
  const states = committedStates(entry);
  if (!states) return fail('message', '凭证的状态消息条目不合规范（statusSize 应为 2，statusMessage 应列出 0x0–0x3 四种状态）', 'the credential’s message entry is malformed (statusSize 2 and four statusMessage elements 0x0–0x3 expected)');
  const read = await fetchList(url, authorityCode, rootPem, 'message');
  if ('name' in read) return read;
  const value = readStatus(read.bits, index, MESSAGE_STATUS_SIZE);
  if (value === undefined) return fail('message', `状态序号 ${index} 超出列表长度`, `status index ${index} is beyond the list`);
  const state = states.get(value)!;
  const name = CERTIFICATE_STATE_NAMES[state];
  const where = `${url.href} #${index}`;
  if (revoked !== undefined && revoked !== (state !== 'valid')) {
    return {
      name: 'message_list',
      ok: false,
      state,
      message: {
        zh: `状态消息列表说“${name.zh}”，撤销状态列表却说${revoked ? '已撤销' : '未撤销'}：两者不一致（两份列表取得时间不同，或其一已过时；证书已不能视为有效，请稍后重新核验）（${where}）`,
        en: `the message list says ${name.en.toLowerCase()} but the revocation list says ${revoked ? 'revoked' : 'not revoked'}: they disagree (fetched at different moments, or one is stale; the certificate cannot be taken as valid — check again later) (${where})`,
      },
    };
  }
  return { name: 'message_list', ok: state === 'valid', state, message: { zh: `状态：${name.zh}（状态消息列表 ${where}）`, en: `state: ${name.en.toLowerCase()} (message list ${where})` } };
}

/** Both checks of a credential's status: its revocation bit, then (when it has a message entry) its state, cross-checked. */
export async function statusChecks(credential: Record<string, unknown>, authorityCode: string, rootPem: string): Promise<StatusCheck[]> {
  const revocation = await statusListCheck(credential, authorityCode, rootPem);
  const message = await messageListCheck(credential, authorityCode, rootPem, revocation.revoked);
  return message ? [revocation, message] : [revocation];
}
