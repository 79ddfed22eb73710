/**
 * @module entry/serviceKey
 * The service's own key on disk (Node only): the certificate with organisation code ECERT and no title
 * level that signs the verification log's chain heads. It lives apart from the authorities, because it is
 * not one and must never be offered as a certificate signer:
 *
 *   <dir>/service/<kid>.pem        the service certificate, signed by the root
 *   <dir>/service/<kid>.key.pem    its private key (mode 0600)
 *
 * Several may sit side by side (rotation); the newest valid one with a private key signs, and one that does
 * not load is skipped with a warning.
 */

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { loadNewestLogSigner, type LogSigner } from '../crypto/logHead.js';

/** The service key pairs in `<dir>/service/` that have a private key. */
export async function readServiceKeys(dir: string): Promise<{ certPem: string; keyPem: string }[]> {
  return (await readServiceKeyFiles(dir)).map(({ certPem, keyPem }) => ({ certPem, keyPem }));
}

async function readServiceKeyFiles(dir: string): Promise<{ path: string; certPem: string; keyPem: string }[]> {
  const serviceDir = join(dir, 'service');
  if (!existsSync(serviceDir)) return [];
  const pairs: { path: string; certPem: string; keyPem: string }[] = [];
  for (const file of (await readdir(serviceDir)).filter((f) => f.endsWith('.pem') && !f.endsWith('.key.pem')).sort()) {
    const keyPath = join(serviceDir, file.replace(/\.pem$/, '.key.pem'));
    if (!existsSync(keyPath)) continue;
    pairs.push({ path: join(serviceDir, file), certPem: await readFile(join(serviceDir, file), 'utf8'), keyPem: await readFile(keyPath, 'utf8') });
  }
  return pairs;
}

/**
 * The newest usable service key under `<dir>` (checked against `<dir>/root.pem`), or undefined when there is
 * none — the log is then kept with unsigned heads.
 * @example const signer = await loadServiceSigner('keys');
 */
export async function loadServiceSigner(dir: string, now = new Date(), warn: (line: string) => void = (line) => console.warn(line)): Promise<LogSigner | undefined> {
  const pairs = await readServiceKeyFiles(dir);
  if (pairs.length === 0) return undefined;
  const rootPem = await readFile(join(dir, 'root.pem'), 'utf8');
  // A key that does not load (expired, not under this root, a key that does not match) is skipped, not fatal.
  return loadNewestLogSigner(pairs, { rootPem }, now, (i, problem) => warn(`[ecert] 跳过不可用的服务密钥 / service key skipped: ${pairs[i]!.path}: ${problem.message}`));
}

/** Writes a new service key; never overwrites (`wx`). */
export async function writeServiceKey(dir: string, key: { certPem: string; keyPem: string; kid: string }): Promise<{ certPath: string; keyPath: string }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(key.kid)) {
    throw new DomainError('validation_failed', { zh: 'kid 格式错误', en: 'kid is not an RFC 7638 SHA-256 thumbprint' }, 'kid');
  }
  const serviceDir = join(dir, 'service');
  await mkdir(serviceDir, { recursive: true, mode: 0o700 });
  const certPath = join(serviceDir, `${key.kid}.pem`);
  const keyPath = join(serviceDir, `${key.kid}.key.pem`);
  await writeFile(keyPath, key.keyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(certPath, key.certPem, { mode: 0o644, flag: 'wx' });
  return { certPath, keyPath };
}
