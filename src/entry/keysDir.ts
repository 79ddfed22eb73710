/**
 * @module entry/keysDir
 * The keys directory on disk (Node only), read into a KeyBundle and written by the CLI:
 *
 *   <dir>/root.pem                            root CA certificate
 *   <dir>/root.key.pem                        root private key — optional; keep it offline when you can
 *   <dir>/authorities/<CODE>/<kid>.pem        one certificate per authority key (several = key rotation)
 *   <dir>/authorities/<CODE>/<kid>.key.pem    its private key — absent for a retired key
 *   <dir>/seal-ca/<kid>.pem                   the seal CA (issue 16), signed by the root; issues seal certificates only
 *   <dir>/seal-ca/<kid>.key.pem               its private key
 *
 * Private keys are written 0600 and never overwritten. The certificate, not the path, is what says which
 * authority a key belongs to; the layout only keeps a person's view of the directory tidy.
 */

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { AUTHORITY_CODE_PATTERN } from '../crypto/createAuthorityCertificate.js';
import type { KeyBundle } from '../crypto/trustStore.js';

const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function unavailable(zh: string, en: string, path: string): DomainError {
  return new DomainError('keys_unavailable', { zh, en }, undefined, { path });
}

async function readOptional(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, 'utf8') : undefined;
}

/** `wx`: an existing key is never replaced by accident — losing one would orphan what it signed. */
async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DomainError('validation_failed', { zh: `${path} 已存在，不覆盖`, en: `${path} already exists; not overwritten` }, 'dir', { path });
    }
    throw error;
  }
}

/**
 * @example
 * const bundle = await readKeyBundle('keys');
 * // { root: { certPem, keyPem? }, authorities: [{ certPem, keyPem? }, …] }
 */
export async function readKeyBundle(dir: string): Promise<KeyBundle> {
  const rootPath = join(dir, 'root.pem');
  if (!existsSync(rootPath)) {
    throw unavailable(`找不到根证书 ${rootPath}`, `root certificate not found: ${rootPath}`, rootPath);
  }
  const rootKeyPem = await readOptional(join(dir, 'root.key.pem'));
  const authorities: KeyBundle['authorities'] = [];
  const authoritiesDir = join(dir, 'authorities');
  const codes = existsSync(authoritiesDir) ? (await readdir(authoritiesDir, { withFileTypes: true })).filter((d) => d.isDirectory()) : [];
  for (const code of codes.map((d) => d.name).sort()) {
    const files = (await readdir(join(authoritiesDir, code))).filter((f) => f.endsWith('.pem') && !f.endsWith('.key.pem')).sort();
    for (const file of files) {
      const certPath = join(authoritiesDir, code, file);
      const keyPem = await readOptional(certPath.replace(/\.pem$/, '.key.pem'));
      authorities.push({ certPem: await readFile(certPath, 'utf8'), ...(keyPem ? { keyPem } : {}) });
    }
  }
  const sealCa = await readPairs(join(dir, 'seal-ca'));
  return { root: { certPem: await readFile(rootPath, 'utf8'), ...(rootKeyPem ? { keyPem: rootKeyPem } : {}) }, authorities, ...(sealCa.length ? { sealCa } : {}) };
}

async function readPairs(folder: string): Promise<{ certPem: string; keyPem?: string }[]> {
  if (!existsSync(folder)) return [];
  const pairs: { certPem: string; keyPem?: string }[] = [];
  for (const file of (await readdir(folder)).filter((f) => f.endsWith('.pem') && !f.endsWith('.key.pem')).sort()) {
    const keyPem = await readOptional(join(folder, file.replace(/\.pem$/, '.key.pem')));
    pairs.push({ certPem: await readFile(join(folder, file), 'utf8'), ...(keyPem ? { keyPem } : {}) });
  }
  return pairs;
}

/** Writes a new seal CA (crypto/createSealCa.ts) beside the others; never overwrites. */
export async function writeSealCa(dir: string, ca: { certPem: string; keyPem: string; kid: string }): Promise<{ certPath: string; keyPath: string }> {
  if (!KID_PATTERN.test(ca.kid)) {
    throw new DomainError('validation_failed', { zh: 'kid 格式错误', en: 'kid is not an RFC 7638 SHA-256 thumbprint' }, 'kid');
  }
  const folder = join(dir, 'seal-ca');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const certPath = join(folder, `${ca.kid}.pem`);
  const keyPath = join(folder, `${ca.kid}.key.pem`);
  await writeNew(keyPath, ca.keyPem, 0o600);
  await writeNew(certPath, ca.certPem, 0o644);
  return { certPath, keyPath };
}

/** Writes a new seal master key file (crypto/sealVault.ts), mode 0600; never overwrites. */
export async function writeSealMasterKey(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeNew(path, text, 0o600);
}

/**
 * Refuses to overwrite an existing root: a new root would orphan every certificate issued under the old one.
 * @example const { certPath, keyPath } = await writeRoot('keys', await createRootCa({ commonName: '…', validYears: 30 }));
 */
export async function writeRoot(dir: string, root: { certPem: string; keyPem: string }): Promise<{ certPath: string; keyPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const certPath = join(dir, 'root.pem');
  const keyPath = join(dir, 'root.key.pem');
  if (existsSync(certPath) || existsSync(keyPath)) {
    throw new DomainError('validation_failed', { zh: `${dir} 中已有根证书，不覆盖`, en: `${dir} already holds a root; not overwritten` }, 'dir', { path: certPath });
  }
  await writeNew(keyPath, root.keyPem, 0o600);
  await writeNew(certPath, root.certPem, 0o644);
  return { certPath, keyPath };
}

/**
 * @example await writeAuthority('keys', { ...(await createAuthorityCertificate({ root, code: 'NNZGB', … })), code: 'NNZGB' });
 */
export async function writeAuthority(
  dir: string,
  authority: { certPem: string; keyPem: string; kid: string; code: string },
): Promise<{ certPath: string; keyPath: string }> {
  // Both become path segments: no `..`, no slashes.
  if (!AUTHORITY_CODE_PATTERN.test(authority.code)) {
    throw new DomainError('validation_failed', { zh: '机构代码须为 2–32 位大写字母或数字', en: 'code must be 2–32 upper-case letters or digits' }, 'code');
  }
  if (!KID_PATTERN.test(authority.kid)) {
    throw new DomainError('validation_failed', { zh: 'kid 格式错误', en: 'kid is not an RFC 7638 SHA-256 thumbprint' }, 'kid');
  }
  const codeDir = join(dir, 'authorities', authority.code);
  await mkdir(codeDir, { recursive: true, mode: 0o700 });
  const certPath = join(codeDir, `${authority.kid}.pem`);
  const keyPath = join(codeDir, `${authority.kid}.key.pem`);
  await writeNew(keyPath, authority.keyPem, 0o600);
  await writeNew(certPath, authority.certPem, 0o644);
  return { certPath, keyPath };
}
