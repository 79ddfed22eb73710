/**
 * @module crypto/pdfSignatures
 * Every PAdES signature of a PDF signed more than once — the approval form: the service's signature, then one
 * organisation seal per opinion, each an incremental update (issue 16 item 3; notice 四(二), 四(四)) — checked
 * offline in the order they were added. Each signature's /ByteRange must be its own revision exactly (the file
 * from its start to that revision's %%EOF, but its own /Contents), its CMS digest and signature must hold over
 * those bytes, and its signer must chain to the pinned root: a seal through the seal CA (crypto/caseStatement.ts
 * checkSealChain, valid when it signed), any other signer as a certificate PDF's (pkijs, the root trusted).
 * Whether the last signature covers the whole file and locks it (FieldMDP /Action /All /P 1, or DocMDP P 1).
 */
import * as pkijs from 'pkijs';
import { latin1 } from '../domain/fileBytes.js';
import type { Message } from '../domain/errors.js';
import { checkSealChain, type SealIdentity } from './caseStatement.js';
import { parseCertificate, policiesOf } from './lib/certificate.js';
import { pemToDer } from './lib/pem.js';
import { SEAL_POLICY_OID } from './oids.js';

/** One signature of the PDF as checked. */
export interface CheckedPdfSignature {
  /** 1-based, in the order the signatures were added (the order of their revisions). */
  position: number;
  /** Who signed as the signature says (/Name), why (/Reason) and where (/Location). */
  name: string;
  reason: string;
  location: string;
  /** When the PDF signature was made: the CMS signing time, else /M (ISO instant); undefined when neither is readable. */
  signedAt: string | undefined;
  /** A seal: the organisation its certificate names (code, name, USCC), when the seal chain holds. */
  seal?: SealIdentity | undefined;
  /** The signer certificate's common name (the service, an authority), when the CMS could be read. */
  signer?: string | undefined;
  kind: 'seal' | 'other';
  /** The end of the revision it signs (its ByteRange's end). */
  covers: number;
  /** Whether it locks the document against any later change. */
  locks: boolean;
  ok: boolean;
  /** Why it fails; empty when ok. */
  problems: Message[];
}

export interface PdfSignaturesReport {
  signatures: CheckedPdfSignature[];
  /** The last signature covers the file to its last byte. */
  lastCoversWholeFile: boolean;
  /** The last signature locks the document. */
  locked: boolean;
}

const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** A PDF text string written as hex: UTF-16BE with its byte-order mark, or PDFDocEncoding (taken as latin1). */
function hexText(hex: string | undefined): string {
  if (!hex) return '';
  const bytes = hexToBytes(hex.length % 2 ? `${hex}0` : hex);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return latin1(bytes);
}

/** A PDF date (D:YYYYMMDDHHmmSS+08'00') as an ISO instant. */
function pdfDate(value: string | undefined): string | undefined {
  const m = value && /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?/.exec(value);
  if (!m) return undefined;
  const offset = m[7] ? `${m[7]}${m[8]}:${m[9]}` : 'Z';
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** Where each revision of the file ends: after each %%EOF and the end-of-line that follows it. */
function revisionEnds(text: string): Set<number> {
  const ends = new Set<number>();
  for (let at = text.indexOf('%%EOF'); at >= 0; at = text.indexOf('%%EOF', at + 5)) {
    const eol = /^(\r\n|\r|\n)?/.exec(text.slice(at + 5, at + 7))![0];
    ends.add(at + 5);
    ends.add(at + 5 + eol.length);
  }
  return ends;
}

const commonName = (cert: pkijs.Certificate): string | undefined => {
  const cn = cert.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : undefined;
};

/** The signer's certificate of a SignedData: the one its first SignerInfo names by issuer and serial. */
function signerCertificate(signedData: pkijs.SignedData): pkijs.Certificate | undefined {
  const sid = signedData.signerInfos[0]?.sid;
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return certificates[0];
  return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
}

function signingTimeOf(signedData: pkijs.SignedData): Date | undefined {
  const attribute = signedData.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME_OID);
  const value = attribute?.values[0] as { toDate?: () => Date } | undefined;
  return value?.toDate?.();
}

const problem = (zh: string, en: string): Message => ({ zh, en });

/** One signature dictionary as written: its ByteRange, /Contents and the text around them. */
interface SignatureDictionary {
  range: [number, number, number, number];
  contents: string;
  rest: string;
}

function signatureDictionaries(text: string): SignatureDictionary[] {
  const found: SignatureDictionary[] = [];
  const pattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]\s*\/Contents\s*<([0-9A-Fa-f]*)>([\s\S]*?)>>\s*endobj/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    found.push({ range: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], contents: m[5]!, rest: m[6]! });
  }
  return found.sort((x, y) => x.range[2] + x.range[3] - (y.range[2] + y.range[3]));
}

/**
 * Checks every signature of `pdf` against the root, in the order they were added.
 * @example const { signatures, lastCoversWholeFile, locked } = await checkPdfSignatures(formPdf, rootPem);
 */
export async function checkPdfSignatures(pdf: Uint8Array, rootPem: string): Promise<PdfSignaturesReport> {
  const text = latin1(pdf);
  const ends = revisionEnds(text);
  const rootDer = pemToDer(rootPem, 'CERTIFICATE');
  const rootX509 = rootDer ? parseCertificate(rootDer) : undefined;
  const rootPkijs = rootDer ? pkijs.Certificate.fromBER(rootDer.slice().buffer) : undefined;
  const signatures: CheckedPdfSignature[] = [];
  let previousEnd = 0;
  for (const [i, dictionary] of signatureDictionaries(text).entries()) {
    const [a, b, c, d] = dictionary.range;
    const rest = dictionary.rest;
    const problems: Message[] = [];
    const covers = c + d;
    const entry: CheckedPdfSignature = {
      position: i + 1,
      name: hexText(/\/Name\s*<([0-9A-Fa-f]*)>/.exec(rest)?.[1]),
      reason: hexText(/\/Reason\s*<([0-9A-Fa-f]*)>/.exec(rest)?.[1]),
      location: hexText(/\/Location\s*<([0-9A-Fa-f]*)>/.exec(rest)?.[1]),
      signedAt: pdfDate(/\/M\s*\(([^)]*)\)/.exec(rest)?.[1]),
      kind: 'other',
      covers,
      locks: /\/TransformMethod\s*\/(FieldMDP|DocMDP)/.test(rest) && /\/P\s+1\b/.test(rest) && (/\/DocMDP/.test(rest) || /\/Action\s*\/All/.test(rest)),
      ok: false,
      problems,
    };
    signatures.push(entry);
    // Its own revision: from the file's start to a %%EOF, all but its own /Contents, which lies in that revision.
    const hole = text.slice(b, c);
    const ownRevision = a === 0 && b < c && covers <= pdf.length && ends.has(covers) && hole === `<${dictionary.contents}>` && b >= previousEnd;
    previousEnd = covers;
    if (!ownRevision) {
      problems.push(problem('签名范围不是它所签的那一版文件（ByteRange 与修订版不符）', 'its ByteRange is not the revision it signs'));
      continue;
    }
    const data = new Uint8Array(b + d);
    data.set(pdf.subarray(0, b), 0);
    data.set(pdf.subarray(c, c + d), b);
    let signedData: pkijs.SignedData;
    try {
      signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(hexToBytes(dictionary.contents.replace(/(00)+$/, '')).slice().buffer).content });
    } catch {
      problems.push(problem('签名值无法读取', 'the signature value cannot be read'));
      continue;
    }
    const signer = signerCertificate(signedData);
    const signingTime = signingTimeOf(signedData);
    if (signingTime) entry.signedAt = signingTime.toISOString();
    entry.signer = signer ? commonName(signer) : undefined;
    const signerX509 = signer ? parseCertificate(new Uint8Array(signer.toSchema().toBER())) : undefined;
    const isSeal = signerX509 !== undefined && policiesOf(signerX509).includes(SEAL_POLICY_OID);
    entry.kind = isSeal ? 'seal' : 'other';
    try {
      // The digest and the signature over this revision; the chain is checked below, by the kind of signer.
      const result = await signedData.verify({ signer: 0, data: data.buffer, checkChain: !isSeal, trustedCerts: rootPkijs ? [rootPkijs] : [], extendedMode: true });
      if (result.signatureVerified !== true) problems.push(problem('签名无效：这一版文件在签名后被改动', 'the signature is invalid: this revision was changed after signing'));
      if (!isSeal && result.signerCertificateVerified !== true) problems.push(problem('签名证书不链至信任根', 'the signing certificate does not chain to the trust root'));
    } catch (error) {
      const e = error as { code?: number; message?: string };
      const digest = e.code === 14 || /digest/i.test(String(e.message ?? error));
      problems.push(
        digest
          ? problem('签名无效：这一版文件的内容与签名摘要不符（已被改动）', 'the signature is invalid: this revision does not match the signed digest (changed)')
          : !isSeal && /chain|trusted|certificate/i.test(String(e.message ?? error))
            ? problem('签名证书不链至信任根', 'the signing certificate does not chain to the trust root')
            : problem(`签名无法核验：${String(e.message ?? error)}`, `the signature cannot be verified: ${String(e.message ?? error)}`),
      );
    }
    if (isSeal) {
      // seal → seal CA → root, each valid when the seal signed.
      const issuer = (signedData.certificates ?? [])
        .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
        .find((c) => c !== signer && c.subject.isEqual(signer!.issuer));
      const sealCa = issuer ? parseCertificate(new Uint8Array(issuer.toSchema().toBER())) : undefined;
      const at = signingTime ?? (entry.signedAt ? new Date(entry.signedAt) : new Date());
      const chain = sealCa && rootX509 ? await checkSealChain(signerX509!, sealCa, rootX509, at) : undefined;
      if (!chain) problems.push(problem('印章证书链不完整（缺少印章签发机构证书）', 'the seal chain is incomplete (no seal CA certificate)'));
      else if (!chain.ok) problems.push(chain.reason);
      else {
        entry.seal = chain.seal;
        // The signed /Name is the organisation whose box it seals: another organisation's seal cannot speak for it.
        if (entry.name !== chain.seal.name) problems.push(problem(`签名以${entry.name}名义作出，却由${chain.seal.name}的印章签署`, `the signature speaks for ${entry.name} but is sealed by ${chain.seal.name}`));
      }
    }
    entry.ok = problems.length === 0;
  }
  const last = signatures.at(-1);
  return { signatures, lastCoversWholeFile: last !== undefined && last.covers === pdf.length, locked: last?.locks ?? false };
}
