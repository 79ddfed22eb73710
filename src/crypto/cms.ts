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

// Parsing a certificate with pkijs costs milliseconds; a deployment has a handful, parsed once each.
const parsed = new Map<string, { cert: pkijs.Certificate; der: Uint8Array; hash: Promise<ArrayBuffer> }>();

function certificateOf(base64: string): { cert: pkijs.Certificate; der: Uint8Array; hash: Promise<ArrayBuffer> } {
  let entry = parsed.get(base64);
  if (!entry) {
    const der = base64ToBytes(base64);
    if (!der) throw new Error('x5c entry is not base64');
    const cert = pkijs.Certificate.fromBER(buffer(der));
    // Embedded as decoded: pkijs would otherwise re-encode each certificate field by field on every
    // signature (5 ms of a 6 ms signature); the decoded tree writes back the same bytes in a tenth of that.
    const asDecoded = asn1js.fromBER(buffer(der)).result;
    cert.toSchema = () => asDecoded as ReturnType<pkijs.Certificate['toSchema']>;
    entry = { cert, der, hash: crypto.subtle.digest('SHA-256', buffer(der)) };
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
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [signerInfo],
    certificates: chain.map((c) => c.cert),
  });
  await signedData.sign(signer.privateKey, 0, 'SHA-256');
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
