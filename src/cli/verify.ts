/**
 * @module cli/verify
 * The offline verifier: takes a certificate PDF (its attached certificate.jws), a bare token, or a QR URL,
 * and checks the signature against a root certificate the user trusts — no trust in our server needed.
 * A URL is the one case that goes online: it fetches the token behind the link, checks that the token is
 * the one the link names (its number, and its link proof `s`), and asks the server for revocation (which
 * no offline check can know). A W3C Verifiable Credential (vc+jwt, /api/v1/certificates/{n}/credential)
 * is checked against the same root, and its credentialStatus followed to the status list it names (list 1,
 * 2, … of its authority: issue 15); a QR URL's credential is followed the same way. An approval form PDF and a
 * case's statements.json (issue 16) go to cli/verifyForm.ts and cli/verifyStatements.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { verifyCredential } from '../crypto/credential.js';
import { verifyCertificateToken } from '../crypto/jws.js';
import { isDemoRoot } from '../crypto/isDemoRoot.js';
import { checkPdfSignature } from '../crypto/pdfSignatureCheck.js';
import { extractCertificateToken } from '../render/certificate/pdf.js';
import { linkProofOf } from '../services/issueCertificate.js';
import { formatChineseDate } from '../domain/chineseDate.js';
import { normaliseCertificateNumber } from '../domain/certificateNumber.js';
import type { Message } from '../domain/errors.js';
import { statusChecks } from './statusList.js';
import { verifySignedPdf } from './verifyForm.js';
import { isStatementsAnswer, verifyStatements } from './verifyStatements.js';

type Print = (line: string) => void;

interface Check {
  name: string;
  ok: boolean;
  message: Message;
}

interface TokenSource {
  token: string;
  /** From a QR URL: what the link says the token must be, and the server it points at. */
  link?: { number: string; proof: string; origin: string };
  /** From a QR URL: the server's status answer ('valid', 'revoked', …), or 'unknown' when it gave none. */
  serverStatus?: string;
  /** From a PDF file: its bytes, whose own signature is checked too. */
  pdf?: Uint8Array;
}

const DEMO_ROOT_WARNING = [
  '⚠⚠⚠ 警告：信任根是公开的演示根证书，其私钥随代码公开，任何人都能签出能通过核验的证书 —— “有效”的结论不能证明任何事。',
  '⚠⚠⚠ WARNING: the trust root is the PUBLIC demo root, whose private keys are published: anyone can sign tokens that pass — a VALID verdict proves nothing.',
];

const printCheck = (print: Print, check: Check): void =>
  print(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.message.zh} / ${check.message.en}`);

async function tokenFromUrl(subject: string, print: Print): Promise<TokenSource | undefined> {
  const url = URL.canParse(subject) ? new URL(subject) : undefined;
  const match = url && /^\/v\/([^/]+)$/.exec(url.pathname);
  let number: string | undefined;
  try {
    number = match?.[1] && normaliseCertificateNumber(decodeURIComponent(match[1]));
  } catch {
    number = undefined; // malformed percent-encoding
  }
  if (!url || !number) {
    print('✗ 不是证书核验链接（…/v/<证书编号>?s=…）/ not a certificate link (…/v/<number>?s=…)');
    return undefined;
  }
  const proof = url.searchParams.get('s') ?? '';
  const tokenRes = await fetch(`${url.origin}/v/${number}/token?s=${encodeURIComponent(proof)}`);
  if (!tokenRes.ok) {
    print(`✗ 服务器未返回证书令牌 / server returned no token (${tokenRes.status})`);
    return undefined;
  }
  const token = (await tokenRes.text()).trim();
  const serverStatus = await fetch(subject, { headers: { Accept: 'application/json' } })
    .then(async (res) => ((await res.json()) as { status?: unknown }).status)
    .catch(() => undefined);
  // The status is echoed to the terminal: only a plain word is.
  const known = typeof serverStatus === 'string' && /^[a-z_]{1,32}$/.test(serverStatus);
  return { token, link: { number, proof, origin: url.origin }, serverStatus: known ? serverStatus : 'unknown' };
}

async function tokenFrom(subject: string, print: Print): Promise<TokenSource | undefined> {
  if (/^https?:\/\//i.test(subject)) return tokenFromUrl(subject, print);
  if (existsSync(subject)) {
    const bytes = new Uint8Array(readFileSync(subject));
    if (subject.toLowerCase().endsWith('.pdf') || new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-') {
      const token = await extractCertificateToken(bytes);
      if (!token) print('✗ PDF 中没有 certificate.jws 附件 / the PDF carries no certificate.jws attachment');
      return token ? { token, pdf: bytes } : undefined;
    }
    return { token: new TextDecoder().decode(bytes).trim() };
  }
  return { token: subject.trim() };
}

/**
 * A QR link names one certificate: the token behind it must carry the link's number, and the link's `s` must
 * be that token's proof — otherwise a server could answer with some other genuine token.
 */
async function linkChecks(link: NonNullable<TokenSource['link']>, token: string, payload: Record<string, unknown> | undefined): Promise<Check[]> {
  const signedNumber = payload?.['number'];
  const numberOk = signedNumber === link.number;
  const proofOk = (await linkProofOf(token)) === link.proof;
  return [
    {
      name: 'link_number',
      ok: numberOk,
      message: numberOk
        ? { zh: `令牌编号与链接一致（${link.number}）`, en: `the token's number matches the link (${link.number})` }
        : payload
          ? { zh: `令牌编号 ${String(signedNumber)} 与链接中的 ${link.number} 不符`, en: `the token's number ${String(signedNumber)} is not the link's ${link.number}` }
          : { zh: '令牌未通过核验，无法核对编号', en: 'the token did not verify, so its number cannot be matched to the link' },
    },
    {
      name: 'link_proof',
      ok: proofOk,
      message: proofOk
        ? { zh: '链接凭证 s 与令牌相符', en: 'the link proof s matches the token' }
        : { zh: '链接凭证 s 与令牌不符', en: 'the link proof s does not match the token' },
    },
  ];
}

/** A PDF's own signature (PAdES) beside the token's: valid, chained to the root, and by the token's authority. */
async function pdfChecks(pdf: Uint8Array, rootPem: string, payload: Record<string, unknown> | undefined): Promise<Check[]> {
  const { checks, signer } = await checkPdfSignature(pdf, rootPem);
  const authority = (payload?.['authority'] as { name?: unknown } | undefined)?.name;
  if (signer === undefined || typeof authority !== 'string') return checks;
  const same = signer === authority;
  return [
    ...checks,
    {
      name: 'pdf_signer',
      ok: same,
      message: same
        ? { zh: 'PDF 签名者即令牌中的确认机构', en: "the PDF's signer is the token's authority" }
        : { zh: `PDF 签名者（${signer}）不是令牌中的确认机构（${authority}）`, en: `the PDF's signer (${signer}) is not the token's authority (${authority})` },
    },
  ];
}

/** A compact JWS whose header says vc+jwt: a Verifiable Credential rather than a certificate token. */
function isCredential(jws: string): boolean {
  const header = jws.split('.')[0] ?? '';
  try {
    return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { typ?: unknown }).typ === 'vc+jwt';
  } catch {
    return false;
  }
}

/**
 * A certificate's Verifiable Credential: its signature chained to the root, its issuer the signing authority,
 * and its place in the status list its credentialStatus names (issue 15: list 1, 2, …), and its state in the
 * message list beside it (issue 19 item 3), which must agree with the revocation bit.
 */
async function credentialChecks(jws: string, rootPem: string, expected?: { number: string; authorityCode: string | undefined }): Promise<{ checks: Check[]; credential?: Record<string, unknown> }> {
  const { credential, authority, problem } = await verifyCredential(jws, rootPem);
  if (!credential || !authority) {
    return { checks: [{ name: 'credential', ok: false, message: problem ?? { zh: '凭证未通过核验', en: 'the credential did not verify' } }] };
  }
  const issuer = (credential['issuer'] as { id?: unknown } | undefined)?.id;
  const title = ((credential['credentialSubject'] as Record<string, unknown> | undefined)?.['hasTitle'] ?? {}) as Record<string, unknown>;
  const issuerOk = typeof issuer === 'string' && issuer.endsWith(`/authorities/${authority.code}`);
  const checks: Check[] = [
    { name: 'credential', ok: true, message: { zh: `凭证签名有效，由受信任的根证书签发给${authority.name}（${authority.code}）`, en: `credential signature valid, by ${authority.code} under the trusted root` } },
    {
      name: 'issuer',
      ok: issuerOk,
      message: issuerOk ? { zh: '凭证签发者即签名机构', en: 'the issuer is the signing authority' } : { zh: '凭证签发者不是签名机构', en: 'the issuer is not the signing authority' },
    },
  ];
  if (expected) {
    const same = title['certificateNumber'] === expected.number && authority.code === expected.authorityCode;
    checks.push({
      name: 'credential_number',
      ok: same,
      message: same
        ? { zh: '凭证与证书令牌为同一证书、同一机构', en: 'the credential is the same certificate, by the same authority, as the token' }
        : { zh: '凭证与证书令牌不是同一证书', en: 'the credential is not the certificate the token is' },
    });
  }
  checks.push(...(await statusChecks(credential, authority.code, rootPem)));
  return { checks, credential };
}

/** A QR link's credential (same proof `s`), whose status list is then read; a server that offers none is noted. */
async function linkedCredentialChecks(link: NonNullable<TokenSource['link']>, payload: Record<string, unknown>, rootPem: string, print: Print): Promise<Check[]> {
  const url = `${link.origin}/api/v1/certificates/${encodeURIComponent(link.number)}/credential?s=${encodeURIComponent(link.proof)}`;
  const res = await fetch(url, { headers: { Accept: 'application/vc+jwt' } }).catch(() => undefined);
  if (!res?.ok || !(res.headers.get('content-type') ?? '').startsWith('application/vc+jwt')) {
    print('注意：服务器未提供可验证凭证，未核对撤销状态列表 / note: the server offered no credential, so no status list was read');
    return [];
  }
  const authorityCode = (payload['authority'] as { code?: unknown } | undefined)?.code;
  return (await credentialChecks((await res.text()).trim(), rootPem, { number: link.number, authorityCode: typeof authorityCode === 'string' ? authorityCode : undefined })).checks;
}

async function verifyCredentialOffline(jws: string, rootPem: string, demo: boolean, print: Print): Promise<number> {
  const { checks, credential } = await credentialChecks(jws, rootPem);
  checks.forEach((check) => printCheck(print, check));
  const title = ((credential?.['credentialSubject'] as Record<string, unknown> | undefined)?.['hasTitle'] ?? {}) as Record<string, unknown>;
  if (credential && typeof title['certificateNumber'] === 'string' && /^[0-9A-Z-]{1,40}$/.test(title['certificateNumber'])) {
    print(`证书编号 number: ${title['certificateNumber']}`);
  }
  if (!checks.every((check) => check.ok)) {
    print('结论 / verdict: 无效 NOT VALID');
    return 1;
  }
  if (demo) DEMO_ROOT_WARNING.forEach((line) => print(line));
  print(demo ? '结论 / verdict: 签名有效 VALID —— 但信任根是演示根，不能证明任何事 / but under the demo root this proves nothing' : '结论 / verdict: 有效 VALID');
  return 0;
}

/**
 * The files that are no certificate (issue 16): an approval form (a PDF signed, without certificate.jws) has its
 * every signature checked; the JSON answer of GET …/statements its every sealed statement. Undefined: neither.
 */
async function otherDocument(subject: string, rootPem: string, print: Print): Promise<number | undefined> {
  if (/^https?:\/\//i.test(subject) || !existsSync(subject)) return undefined;
  const bytes = new Uint8Array(readFileSync(subject));
  if (new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-') {
    const signed = new TextDecoder('latin1').decode(bytes).includes('/ByteRange');
    return signed && !(await extractCertificateToken(bytes)) ? verifySignedPdf(bytes, rootPem, print) : undefined;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  return isStatementsAnswer(answer) ? verifyStatements(answer, rootPem, print) : undefined;
}

/** @example process.exitCode = await verifyOffline('ecert.pdf', rootPem, console.log); */
export async function verifyOffline(subject: string, rootPem: string, print: Print): Promise<number> {
  const demo = isDemoRoot(rootPem);
  if (demo) DEMO_ROOT_WARNING.forEach((line) => print(line));
  const other = await otherDocument(subject, rootPem, print);
  if (other !== undefined) {
    if (demo) DEMO_ROOT_WARNING.forEach((line) => print(line));
    return other;
  }
  const source = await tokenFrom(subject, print);
  if (!source) {
    print('结论 / verdict: 无效 INVALID');
    return 1;
  }
  if (!source.link && !source.pdf && isCredential(source.token)) return verifyCredentialOffline(source.token, rootPem, demo, print);
  const result = await verifyCertificateToken(source.token, { rootPem });
  const checks: Check[] = [...result.checks, ...(source.link ? await linkChecks(source.link, source.token, result.payload) : [])];
  if (source.pdf) checks.push(...(await pdfChecks(source.pdf, rootPem, result.payload)));
  if (source.link && result.payload && checks.every((check) => check.ok)) checks.push(...(await linkedCredentialChecks(source.link, result.payload, rootPem, print)));
  checks.forEach((check) => printCheck(print, check));
  const valid = checks.every((check) => check.ok);
  const claims = result.payload as
    | { number?: string; holder?: { name?: string; idNumberMasked?: string }; title?: { name?: string; specialty?: string }; original?: { acquiredOn?: string }; authority?: { name?: string }; decision?: { number?: string } }
    | undefined;
  if (valid && claims) {
    print(`证书编号 number: ${claims.number}`);
    print(`持证人 holder: ${claims.holder?.name} (${claims.holder?.idNumberMasked})`);
    print(`职称 title: ${claims.title?.name}，专业 specialty: ${claims.title?.specialty}`);
    if (claims.original?.acquiredOn) print(`原取得时间 acquired: ${formatChineseDate(claims.original.acquiredOn)}`);
    print(`确认机构 authority: ${claims.authority?.name}，文号 decision: ${claims.decision?.number}`);
  }
  if (source.serverStatus !== undefined && source.serverStatus !== 'valid') {
    print(`✗ 服务器状态 server status: ${source.serverStatus}`);
    print('结论 / verdict: 无效 NOT VALID');
    return 1;
  }
  if (!valid) {
    print('结论 / verdict: 无效 INVALID');
    return 1;
  }
  print(source.serverStatus ? '✓ 服务器确认未撤销 / server confirms not revoked' : '注意：离线核验无法得知是否已撤销，请扫码或访问核验页。Offline checks cannot see revocation.');
  if (demo) DEMO_ROOT_WARNING.forEach((line) => print(line));
  print(demo ? '结论 / verdict: 签名有效 VALID —— 但信任根是演示根，不能证明任何事 / but under the demo root this proves nothing' : '结论 / verdict: 签名有效 VALID');
  return 0;
}
