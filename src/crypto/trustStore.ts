/**
 * @module crypto/trustStore
 * Turns a key bundle (PEM texts, however they were stored) into the trust store the service signs and
 * verifies with. It checks everything once, at start-up: each authority chains to the root, each private
 * key matches its certificate, and a demo root is refused in production. The caller caches the result.
 */

import type { X509Certificate } from '@peculiar/x509';
import { DomainError } from '../domain/errors.js';
import type { Level } from '../domain/levels.js';
import { bytesToBase64 } from '../lib/base64.js';
import {
  authorityIdentity,
  certificateDer,
  certificatePublicKey,
  hasDemoMarker,
  levelsOf,
  parseCertificate,
} from './lib/certificate.js';
import { checkIssuedByRoot, checkRoot } from './lib/chain.js';
import { importPrivateKeyPem, keyPairMatches, kidOf, publicJwkOf, type PublicEcJwk } from './lib/keys.js';
import { loadSealCa, type SealCa } from './sealCa.js';

export interface KeyBundle {
  root: { certPem: string; keyPem?: string };
  authorities: { certPem: string; keyPem?: string }[];
  /** The seal CA that issues organisations' electronic seals (issue 16); optional. */
  sealCa?: { certPem: string; keyPem?: string }[];
}

export interface TrustedRoot {
  cert: X509Certificate;
  certDer: Uint8Array;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** One authority key pair: an authority may hold several over time (key rotation). */
export interface AuthorityKey {
  kid: string;
  code: string;
  name: string;
  levels: Level[];
  notBefore: Date;
  notAfter: Date;
  certDer: Uint8Array;
  publicKey: CryptoKey;
  /** Absent for a retired key kept only so that what it signed still verifies. */
  privateKey?: CryptoKey;
  /** base64 (not base64url) DER, as RFC 7515 §4.1.6 wants: [authority certificate, root certificate]. */
  x5c: string[];
}

export interface PublishedJwk extends PublicEcJwk {
  kid: string;
  alg: 'ES256';
  use: 'sig';
  x5c: string[];
}

export interface TrustStore {
  root: TrustedRoot;
  /** The root certificate as PEM: what offline verifiers pin (and what verifyCertificateToken takes). */
  rootPem: string;
  /** The root carries the demo marker: its keys are public and it is for trying the service only. */
  isDemo: boolean;
  authorities: AuthorityKey[];
  /** The newest usable seal CA (issue 16): it issues seal certificates and nothing else; absent, no seal can be made. */
  sealCa?: SealCa | undefined;
  /** Every kid we have ever signed with — what a verifier should accept as `knownKids`. */
  kids(): ReadonlySet<string>;
  findByKid(kid: string): AuthorityKey | undefined;
  /** The newest (latest notBefore) key of `code` that has a private key and is valid at `now`. */
  currentSigner(code: string, now?: Date): AuthorityKey | undefined;
  /** All public keys, retired ones included, so old certificates keep verifying. */
  jwks(): { keys: PublishedJwk[] };
}

export interface LoadTrustStoreOptions {
  production: boolean;
  /** When the root must be valid; defaults to now. */
  now?: Date;
}

function unavailable(zh: string, en: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('keys_unavailable', { zh: `签名密钥不可用：${zh}`, en: `signing keys unavailable: ${en}` }, undefined, details);
}

async function loadAuthority(
  entry: KeyBundle['authorities'][number],
  index: number,
  root: X509Certificate,
  rootBase64: string,
): Promise<{ key: AuthorityKey; jwk: PublishedJwk }> {
  const where = { authority: index };
  const cert = parseCertificate(entry.certPem);
  if (!cert) throw unavailable(`第 ${index + 1} 个签发机构证书无法解析`, `authority certificate #${index + 1} cannot be parsed`, where);
  // Signature and root validity only: an expired authority key still verifies what it signed in time.
  const problem = await checkIssuedByRoot(cert, root, cert.notBefore);
  if (problem) throw unavailable(problem.zh, problem.en, { ...where, subject: cert.subject });
  const identity = authorityIdentity(cert);
  const levels = levelsOf(cert);
  if (!identity || levels.length === 0) {
    throw unavailable('签发机构证书缺少机构代码、名称或可确认的级别', 'the authority certificate lacks a code, a name or title levels', { ...where, subject: cert.subject });
  }
  const publicKey = await certificatePublicKey(cert).catch(() => undefined);
  if (!publicKey) throw unavailable('签发机构证书的公钥不是 P-256', 'the authority certificate key is not P-256', { ...where, subject: cert.subject });
  let privateKey: CryptoKey | undefined;
  if (entry.keyPem) {
    privateKey = await importPrivateKeyPem(entry.keyPem).catch(() => undefined);
    if (!privateKey || !(await keyPairMatches(privateKey, publicKey))) {
      throw unavailable(`${identity.code} 的私钥与其证书不匹配`, `the private key of ${identity.code} does not match its certificate`, { ...where, code: identity.code });
    }
  }
  const kid = await kidOf(publicKey);
  const certDer = certificateDer(cert);
  const x5c = [bytesToBase64(certDer), rootBase64];
  const key: AuthorityKey = {
    kid,
    ...identity,
    levels,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    certDer,
    publicKey,
    ...(privateKey ? { privateKey } : {}),
    x5c,
  };
  return { key, jwk: { ...(await publicJwkOf(publicKey)), kid, alg: 'ES256', use: 'sig', x5c } };
}

/**
 * @example
 * const store = await loadTrustStore(await readKeyBundle('keys'), { production: env.NODE_ENV === 'production' });
 * const signer = store.currentSigner('GXZGB');
 */
export async function loadTrustStore(bundle: KeyBundle, options: LoadTrustStoreOptions): Promise<TrustStore> {
  const now = options.now ?? new Date();
  const root = parseCertificate(bundle.root.certPem);
  if (!root) throw unavailable('根证书无法解析', 'the root certificate cannot be parsed');
  const isDemo = hasDemoMarker(root);
  if (isDemo && options.production) {
    throw new DomainError('demo_keys_in_production', {
      zh: '生产环境不能使用演示密钥（其私钥是公开的）；请用 keys init 生成正式密钥',
      en: 'demo keys (whose private keys are public) cannot be used in production; make real keys with `keys init`',
    });
  }
  const rootProblem = await checkRoot(root, now);
  if (rootProblem) throw unavailable(rootProblem.zh, rootProblem.en, { subject: root.subject });
  const rootDer = certificateDer(root);
  const rootBase64 = bytesToBase64(rootDer);

  const loaded = await Promise.all(bundle.authorities.map((entry, i) => loadAuthority(entry, i, root, rootBase64)));
  const byKid = new Map<string, AuthorityKey>();
  for (const { key } of loaded) {
    if (byKid.has(key.kid)) throw unavailable(`密钥 ${key.kid} 出现了两次`, `key ${key.kid} appears twice`, { kid: key.kid });
    byKid.set(key.kid, key);
  }
  const authorities = loaded.map(({ key }) => key);
  const published = { keys: loaded.map(({ jwk }) => jwk) };
  const kids: ReadonlySet<string> = new Set(byKid.keys());
  const sealCa = await loadSealCa(bundle.sealCa ?? [], root, now);

  return {
    root: {
      cert: root,
      certDer: rootDer,
      subject: root.subject,
      notBefore: root.notBefore,
      notAfter: root.notAfter,
    },
    rootPem: root.toString('pem'),
    isDemo,
    authorities,
    sealCa,
    kids: () => kids,
    findByKid: (kid) => byKid.get(kid),
    currentSigner(code, at = new Date()) {
      const usable = authorities.filter((key) => key.code === code && key.privateKey && key.notBefore <= at && at <= key.notAfter);
      return usable.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime())[0];
    },
    jwks: () => structuredClone(published),
  };
}
