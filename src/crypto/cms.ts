/**
 * @module crypto/cms
 * A detached CMS SignedData (RFC 5652) for a PAdES signature (ETSI EN 319 142-1, baseline B-B): ECDSA P-256
 * with SHA-256 over signed attributes that carry the content type, the message digest, the signing time and
 * the ESS signing-certificate-v2 (RFC 5035) naming the signer's certificate by its SHA-256; the chain up to
 * the root is included. Built with pkijs over Web Crypto, so it runs unchanged on Node and Workers.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { base64ToBytes } from '../lib/base64.js';

/** Who signs: a private key and its chain, signer first, as base64 DER (the `x5c` of our keys). */
export interface CmsSigner {
  privateKey: CryptoKey;
  x5c: readonly string[];
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

/** A DER element: `tag`, its definite length, `content`. */
function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  let at = 1 + lengthBytes.length;
  for (const c of content) (out.set(c, at), (at += c.length));
  return out;
}

const SEQUENCE = 0x30;
const CONTEXT_0 = 0xa0; // [0], constructed

// Parsing a certificate with pkijs costs milliseconds; a deployment has a handful, parsed once each.
const parsed = new Map<string, { cert: pkijs.Certificate; der: Uint8Array; hash: Promise<ArrayBuffer> }>();

function certificateOf(base64: string): { cert: pkijs.Certificate; der: Uint8Array; hash: Promise<ArrayBuffer> } {
  let entry = parsed.get(base64);
  if (!entry) {
    const der = base64ToBytes(base64);
    if (!der) throw new Error('x5c entry is not base64');
    entry = { cert: pkijs.Certificate.fromBER(buffer(der)), der, hash: crypto.subtle.digest('SHA-256', buffer(der)) };
    if (parsed.size > 64) parsed.clear();
    parsed.set(base64, entry);
  }
  return entry;
}

/**
 * Signs the concatenation of `parts` (a PDF's ByteRange) and returns the DER of a CMS ContentInfo.
 * @example const der = await signCms([before, after], { privateKey, x5c }, new Date());
 */
export async function signCms(parts: readonly Uint8Array[], signer: CmsSigner, signingTime: Date): Promise<Uint8Array> {
  const engine = pkijs.getCrypto(true);
  const chain = signer.x5c.map(certificateOf);
  const own = chain[0];
  if (!own) throw new Error('the signer has no certificate');

  const total = parts.reduce((n, p) => n + p.length, 0);
  const content = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (content.set(p, at), (at += p.length));
  const digest = new Uint8Array(await engine.digest('SHA-256', content));
  const certHash = new Uint8Array(await own.hash);

  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with ESSCertIDv2 ::= SEQUENCE { certHash,
  // issuerSerial } — the hash algorithm is SHA-256, the DEFAULT, so it is omitted (DER).
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [own.cert.issuer.toSchema()] })] }),
      own.cert.serialNumber,
    ],
  });
  const signingCertificateV2 = new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: buffer(certHash) }), issuerSerial] })] })],
  });

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: own.cert.issuer, serialNumber: own.cert.serialNumber }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
        new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: buffer(digest) })] }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2] }),
      ],
    }),
  });
  // Signed without the chain, which the signature does not cover; the chain's own DER is then set in its place
  // ([0] IMPLICIT CertificateSet, between encapContentInfo and signerInfos). pkijs would re-encode every
  // certificate field by field, and asn1js copy their bytes at each level of nesting: 1.6 ms of each
  // signature, against 0.3 ms for this (test/crypto/cms pins the bytes to pkijs's own encoding).
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
  });
  await signedData.sign(signer.privateKey, 0, 'SHA-256');
  return withChain(signedData, chain.map((c) => c.der));
}

/**
 * The ContentInfo DER of `signedData` (built without certificates) with `chain` (DER certificates, signer
 * first) as its certificate set.
 */
export function withChain(signedData: pkijs.SignedData, chain: readonly Uint8Array[]): Uint8Array {
  const fields = (signedData.toSchema(true) as asn1js.Sequence).valueBlock.value.map((field) => new Uint8Array(field.toBER(false)));
  const signerInfos = fields.pop()!;
  const signedDataDer = tlv(SEQUENCE, ...fields, tlv(CONTEXT_0, ...chain), signerInfos);
  return tlv(SEQUENCE, SIGNED_DATA_OID, tlv(CONTEXT_0, signedDataDer));
}

const SIGNED_DATA_OID = new Uint8Array(new asn1js.ObjectIdentifier({ value: OID.signedData }).toBER(false));
