/**
 * @module crypto/caseStatement
 * An organisation's sealed statement on a case (domain/caseStatement.ts; notice 四(二), 四(四)): a compact JWS
 * (ES256) over the statement's canonical JSON, signed by the organisation's electronic seal, with `x5c` =
 * [seal certificate, seal CA certificate, root]. Anyone holding only the root certificate can check one: the
 * seal CA chains to the root and may sign only seal certificates, the seal certificate carries the seal
 * policy (and no title level, so it can never sign a title certificate) and names the organisation the
 * statement speaks for, it was valid when the statement was made, and the signature holds.
 */
import 'reflect-metadata';
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, type X509Certificate } from '@peculiar/x509';
import { CompactSign } from 'jose';
import { statementText, type CaseStatementPayload, statementPayloadOf } from '../domain/caseStatement.js';
import type { Message } from '../domain/errors.js';
import { formatChinaTime } from '../domain/chineseDate.js';
import { base64ToBytes, base64UrlToBytes } from '../lib/base64.js';
import type { PinnedRoot } from './jws/verify.js';
import { certificatePublicKey, levelsOf, parseCertificate, policiesOf } from './lib/certificate.js';
import { validAt } from './lib/chain.js';
import { decodeJsonSegment } from './lib/jsonSegment.js';
import { ES256_SIGN } from './lib/keys.js';
import { ORGANIZATION_IDENTIFIER_OID, SEAL_POLICY_OID } from './oids.js';

const SERIAL_NUMBER_OID = '2.5.4.5';

/** `typ` of a statement (RFC 8725 §3.11): no certificate or log-head verifier accepts one. */
export const CASE_STATEMENT_TYPE = 'ecert-statement+jws';

/** An organisation's seal, ready to sign: its private key and chain (seal, seal CA, root) as base64 DER. */
export interface SealSigner {
  privateKey: CryptoKey;
  x5c: readonly string[];
}

/** @example const jws = await signCaseStatement(payload, await sealSigner(ctx, 'NNDW01')); */
export async function signCaseStatement(payload: CaseStatementPayload, seal: SealSigner): Promise<string> {
  return new CompactSign(new TextEncoder().encode(statementText(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: CASE_STATEMENT_TYPE, x5c: [...seal.x5c] })
    .sign(seal.privateKey);
}

/** Who sealed a statement, as its seal certificate names them. */
export interface SealIdentity {
  code: string;
  name: string;
  /** 统一社会信用代码, when the seal certificate carries one. */
  uscc?: string;
  /** The seal certificate's serial number (hex). */
  serial: string;
  notBefore: string;
  notAfter: string;
}

export type StatementVerification =
  | { valid: true; payload: CaseStatementPayload; seal: SealIdentity; /** The seal certificate, base64 DER (x5c[0]). */ sealCertificate: string }
  | { valid: false; reason: Message; payload?: CaseStatementPayload };

const fail = (zh: string, en: string, payload?: CaseStatementPayload): StatementVerification => ({ valid: false, reason: { zh, en }, ...(payload ? { payload } : {}) });

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.every((byte, i) => byte === y[i]);
}

const issuedBy = async (cert: X509Certificate, issuer: X509Certificate) =>
  sameBytes(cert.issuerName.toArrayBuffer(), issuer.subjectName.toArrayBuffer()) && (await cert.verify({ publicKey: issuer, signatureOnly: true }).catch(() => false));

function usage(cert: X509Certificate): number {
  return cert.getExtension(KeyUsagesExtension)?.usages ?? 0;
}

/** The organisation a seal certificate names: code in organizationIdentifier, name in O (or CN). */
function sealIdentity(cert: X509Certificate): SealIdentity | undefined {
  const code = cert.subjectName.getField(ORGANIZATION_IDENTIFIER_OID)[0];
  const name = cert.subjectName.getField('O')[0] ?? cert.subjectName.getField('CN')[0];
  if (!code || !name) return undefined;
  const uscc = cert.subjectName.getField(SERIAL_NUMBER_OID)[0]; // X.520 serialNumber holds the 统一社会信用代码
  return { code, name, ...(uscc ? { uscc } : {}), serial: cert.serialNumber, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString() };
}

/** Whether a seal certificate is one, under the root: its organisation, or why not. */
export type SealChainCheck = { ok: true; seal: SealIdentity } | { ok: false; reason: Message };

/**
 * The chain seal → seal CA → root, offline: the seal CA chains to the root and may sign only seal certificates,
 * the seal carries the seal policy and no title level (so it can never sign a title certificate), names an
 * organisation, and all three were valid at `at` (when the statement or the PDF signature was made).
 * @example const chain = await checkSealChain(seal, sealCa, root, new Date(payload.at)); if (chain.ok) console.log(chain.seal.name);
 */
export async function checkSealChain(seal: X509Certificate, sealCa: X509Certificate, root: X509Certificate, at: Date): Promise<SealChainCheck> {
  const no = (zh: string, en: string): SealChainCheck => ({ ok: false, reason: { zh, en } });
  // The seal CA: issued by our root (and not the root itself), a CA that may sign certificates but no other CA.
  const caConstraints = sealCa.getExtension(BasicConstraintsExtension);
  // RFC 5280: a root that allows no CA below it (pathlen:0, made before seals) cannot vouch for a seal CA.
  if (root.getExtension(BasicConstraintsExtension)?.pathLength === 0) {
    return no('根证书（pathlen:0）不允许其下有印章签发机构：请使用重新签发的根证书', 'the root (pathlen:0) allows no seal CA below it: use the re-issued root');
  }
  const isRoot = sameBytes(sealCa.subjectName.toArrayBuffer(), root.subjectName.toArrayBuffer());
  if (isRoot || !(await issuedBy(sealCa, root)) || !caConstraints?.ca || (usage(sealCa) & KeyUsageFlags.keyCertSign) === 0 || caConstraints.pathLength !== 0) {
    return no('印章证书不是由受信任的根证书下的印章签发机构签发的', 'the seal was not issued by a seal CA under the trusted root');
  }
  // The seal: issued by that CA, no CA itself, a signing key under the seal policy and allowed no title level.
  if (!(await issuedBy(seal, sealCa)) || seal.getExtension(BasicConstraintsExtension)?.ca || (usage(seal) & KeyUsageFlags.digitalSignature) === 0) {
    return no('印章证书不是由印章签发机构签发的签名证书', 'the seal certificate is not a signing certificate of the seal CA');
  }
  if (!policiesOf(seal).includes(SEAL_POLICY_OID) || levelsOf(seal).length > 0) return no('该证书不是单位电子印章证书', 'the certificate is not an organisation seal');
  const identity = sealIdentity(seal);
  if (!identity) return no('印章证书未载明单位代码和名称', 'the seal certificate names no organisation');
  if (!validAt(seal, at) || !validAt(sealCa, at) || !validAt(root, at)) {
    return no(`签署时（${formatChinaTime(at, 'zh')}）印章证书不在有效期内`, `the seal was not valid when it signed (${formatChinaTime(at, 'en')})`);
  }
  return { ok: true, seal: identity };
}

/**
 * Checks one sealed statement offline against the pinned root.
 * @example const v = await verifyCaseStatement(jws, { rootPem }); if (v.valid) console.log(v.seal.name, v.payload.opinion);
 */
export async function verifyCaseStatement(jws: string, pinned: PinnedRoot): Promise<StatementVerification> {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  const header = decodeJsonSegment(parts[0]);
  const payload = statementPayloadOf(decodeJsonSegment(parts[1]));
  const signature = parts[2] === undefined ? undefined : base64UrlToBytes(parts[2]);
  if (parts.length !== 3 || !header || !signature) return fail('签章声明格式错误', 'the statement is not a compact JWS');
  if (!payload) return fail('签章声明内容不完整', 'the statement lacks its case, step, person, organisation, time or digests');
  if (header['alg'] !== 'ES256' || header['typ'] !== CASE_STATEMENT_TYPE || 'crit' in header) return fail('签章声明的算法或类型不符', `alg must be ES256 and typ ${CASE_STATEMENT_TYPE}`, payload);
  const x5c = header['x5c'];
  if (!Array.isArray(x5c) || x5c.length < 2 || !x5c.every((c) => typeof c === 'string')) return fail('签章声明缺少印章证书链', 'the statement carries no seal certificate chain', payload);
  const [seal, sealCa] = (x5c as string[]).slice(0, 2).map((c) => {
    const der = base64ToBytes(c);
    return der ? parseCertificate(der) : undefined;
  });
  const root = 'root' in pinned ? pinned.root : parseCertificate(pinned.rootPem);
  if (!seal || !sealCa || !root) return fail('印章证书无法解析', 'the seal certificates cannot be parsed', payload);
  const checked = await checkSealChain(seal, sealCa, root, new Date(payload.at));
  if (!checked.ok) return { valid: false, reason: checked.reason, payload };
  const identity = checked.seal;
  if (identity.code !== payload.org.code) {
    return fail(`声明以${payload.org.name}名义作出，却由${identity.name}的印章签署`, `the statement speaks for ${payload.org.code} but is sealed by ${identity.code}`, payload);
  }
  const publicKey = await certificatePublicKey(seal).catch(() => undefined);
  if (!publicKey) return fail('印章公钥不是 P-256', 'the seal key is not P-256', payload);
  const signingInput = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  const ok = signature.length === 64 && (await crypto.subtle.verify(ES256_SIGN, publicKey, signature, signingInput).catch(() => false));
  if (!ok) return fail('印章签名无效：声明在签署后被改动', 'the seal signature is invalid: the statement was changed after sealing', payload);
  // The signed bytes must be the canonical text, so the digest the chain links is of exactly what was sealed.
  if (new TextDecoder().decode(base64UrlToBytes(parts[1] ?? '') ?? new Uint8Array()) !== statementText(payload)) {
    return fail('签章声明不是规范格式', 'the statement is not in canonical form', payload);
  }
  return { valid: true, payload, seal: identity, sealCertificate: (x5c as string[])[0]! };
}
