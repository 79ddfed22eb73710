/**
 * @module crypto/sealVault
 * Seal private keys at rest (issue 16 items 1 and 5): AES-256-GCM (Web Crypto, so the same on Workers)
 * under a master key kept outside the database — a key file on Node, a Worker secret on Workers. The
 * additional data binds each ciphertext to its seal id and organisation, so a row's key copied onto another
 * row does not decrypt. A copy of the database alone cannot seal anything.
 */

import { DomainError } from '../domain/errors.js';
import { base64ToBytes, bytesToBase64 } from '../lib/base64.js';
import { EC_P256 } from './lib/keys.js';

export interface SealMasterKey {
  key: CryptoKey;
  /** First 16 hex digits of SHA-256 of the key: names which master key sealed a row, reveals nothing of it. */
  id: string;
}

export interface SealedKey {
  /** base64 of AES-GCM ciphertext ‖ tag. */
  ciphertext: string;
  /** base64 of the 12-byte nonce. */
  iv: string;
  masterKeyId: string;
}

/** The key id of the demo master key in keys.example/seal-master.key: refused in production. */
export const DEMO_SEAL_MASTER_KEY_ID = 'a3e6570ca9b4737a';

const unavailable = (zh: string, en: string) => new DomainError('keys_unavailable', { zh, en });

/** A new master key as its text form: base64 of 32 random bytes (what the key file and the Worker secret hold). */
export function newSealMasterKeyText(): string {
  return `${bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))}\n`;
}

/**
 * Reads a master key's text (base64 of 32 bytes); refuses the demo key when `production`.
 * @example const master = await importSealMasterKey(readFileSync(file, 'utf8'), { production: true });
 */
export async function importSealMasterKey(text: string, options: { production: boolean }): Promise<SealMasterKey> {
  const raw = base64ToBytes(text.trim());
  if (!raw || raw.length !== 32) {
    throw unavailable('电子印章主密钥应为 32 字节的 base64 文本（npm run cli -- seal master-key 生成）', 'the seal master key must be 32 bytes in base64 (make one with npm run cli -- seal master-key)');
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
  const id = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (options.production && id === DEMO_SEAL_MASTER_KEY_ID) {
    throw new DomainError('demo_keys_in_production', {
      zh: '生产环境不能使用演示电子印章主密钥（它是公开的）；请用 npm run cli -- seal master-key 生成',
      en: 'the demo seal master key (which is public) cannot be used in production; make one with npm run cli -- seal master-key',
    });
  }
  const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  return { key, id };
}

function additionalData(binding: { sealId: string; orgCode: string }): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`ecert-seal-key/v1\n${binding.sealId}\n${binding.orgCode}`);
}

/** @example const sealed = await sealPrivateKey(master, issued.pkcs8, { sealId, orgCode }); */
export async function sealPrivateKey(master: SealMasterKey, pkcs8: Uint8Array, binding: { sealId: string; orgCode: string }): Promise<SealedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(binding) }, master.key, new Uint8Array(pkcs8));
  return { ciphertext: bytesToBase64(new Uint8Array(ciphertext)), iv: bytesToBase64(iv), masterKeyId: master.id };
}

/**
 * The seal's signing key, non-extractable; throws keys_unavailable when the master key or the binding is not
 * the one it was sealed under (another master key, or a ciphertext moved to another row).
 * @example const privateKey = await openPrivateKey(master, row, { sealId: row.id, orgCode: row.orgCode });
 */
export async function openPrivateKey(master: SealMasterKey, sealed: SealedKey, binding: { sealId: string; orgCode: string }): Promise<CryptoKey> {
  const iv = base64ToBytes(sealed.iv);
  const ciphertext = base64ToBytes(sealed.ciphertext);
  const pkcs8 =
    iv && ciphertext
      ? await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(binding) }, master.key, ciphertext).catch(() => undefined)
      : undefined;
  if (!pkcs8) {
    throw unavailable(
      sealed.masterKeyId === master.id ? '电子印章私钥无法解密（密文已损坏或不属于此印章）' : '电子印章私钥不是用当前主密钥加密的',
      sealed.masterKeyId === master.id ? 'the seal private key does not decrypt (damaged, or not this seal’s)' : 'the seal private key was encrypted under another master key',
    );
  }
  return crypto.subtle.importKey('pkcs8', pkcs8, EC_P256, false, ['sign']);
}
