/**
 * @module services/credentials
 * A certificate as a W3C Verifiable Credential 2.0 (secured with JOSE), and each authority's Bitstring
 * Status List credential that says which of its credentials are revoked. Both are signed by the authority
 * whose identifier is `{publicUrl}/authorities/{code}` and whose keys are in /.well-known/jwks.json, so a
 * verifier needs nothing of ours but those public documents.
 */
import { signCredential } from '../crypto/credential.js';
import { DomainError } from '../domain/errors.js';
import { LEVEL_NAMES } from '../domain/levels.js';
import { bitstring, STATUS_LIST_SIZE } from '../domain/statusList.js';
import type { Certificate } from '../domain/certificate.js';
import { base64url, randomBytes } from '../lib/bytes.js';
import type { ServiceContext } from './context.js';

const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export const authorityId = (publicUrl: string, code: string) => `${publicUrl}/authorities/${code}`;
export const statusListUrl = (publicUrl: string, code: string) => `${publicUrl}/status/${code}/revocation`;

function randomIndex(): number {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return ((a << 16) | (b << 8) | c) % STATUS_LIST_SIZE; // 2^24 is a multiple of 2^17: uniform
}

/** The certificate's place in its authority's status list, drawn on first use. */
async function statusIndexOf(ctx: ServiceContext, certificate: Certificate): Promise<number> {
  for (let attempt = 0; attempt < 64; attempt++) {
    const existing = await ctx.certificates.statusIndex(certificate.number);
    if (existing !== undefined) return existing;
    const index = randomIndex();
    if (await ctx.certificates.claimStatusIndex(certificate.number, certificate.authority.code, index)) return index;
  }
  throw new Error('no free status-list index found: the list is too full');
}

async function signerOf(ctx: ServiceContext, code: string) {
  const signer = (await ctx.trust()).currentSigner(code, ctx.now());
  if (!signer) throw new DomainError('keys_unavailable', { zh: `机构 ${code} 目前没有有效的签名密钥`, en: `Authority ${code} has no current signing key` });
  return signer;
}

/**
 * The certificate as a VC 2.0 (compact JWS, `application/vc+jwt`): the title facts with the original
 * acquisition date and specialty (二(二)4), the ID number masked, and its place in the revocation list.
 */
export async function certificateCredential(ctx: ServiceContext, certificate: Certificate): Promise<string> {
  const index = await statusIndexOf(ctx, certificate);
  const code = certificate.authority.code;
  const credential = {
    '@context': [VC_CONTEXT],
    id: `${ctx.publicUrl}/v/${certificate.number}`,
    type: ['VerifiableCredential', 'ProfessionalTitleCredential'],
    issuer: { id: authorityId(ctx.publicUrl, code), name: certificate.authority.name },
    validFrom: certificate.issuedAt,
    name: '职称电子证书 Title e-certificate',
    credentialSubject: {
      type: 'ProfessionalTitleHolder',
      name: certificate.holder.name,
      gender: certificate.holder.gender,
      idNumberMasked: certificate.holder.idNumberMasked,
      hasTitle: {
        type: 'ProfessionalTitle',
        certificateNumber: certificate.number,
        series: certificate.title.series,
        seriesName: certificate.title.seriesName,
        name: certificate.title.name,
        level: certificate.title.level,
        levelName: LEVEL_NAMES[certificate.title.level].zh,
        specialty: certificate.title.specialty,
        originallyAcquiredOn: certificate.original.acquiredOn,
        originalAcquisitionMethod: certificate.original.method,
        originalEvaluatingBody: certificate.original.evaluatingBody,
        ...(certificate.original.certificateNumber ? { originalCertificateNumber: certificate.original.certificateNumber } : {}),
        decisionNumber: certificate.decision.number,
        decidedOn: certificate.decision.decidedOn,
      },
    },
    credentialStatus: {
      id: `${statusListUrl(ctx.publicUrl, code)}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: statusListUrl(ctx.publicUrl, code),
    },
  };
  return signCredential(credential, await signerOf(ctx, code));
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The authority's revocation list as a BitstringStatusListCredential (vc+jwt): GZIP, then multibase
 * base64url (`u` prefix), as the W3C Bitstring Status List v1.0 says.
 */
export async function statusListCredential(ctx: ServiceContext, code: string): Promise<string> {
  const signer = await signerOf(ctx, code);
  const encoded = `u${base64url(await gzip(bitstring(await ctx.certificates.revokedStatusIndexes(code))))}`;
  const url = statusListUrl(ctx.publicUrl, code);
  return signCredential(
    {
      '@context': [VC_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: authorityId(ctx.publicUrl, code), name: signer.name },
      validFrom: ctx.now().toISOString(),
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encoded },
    },
    signer,
  );
}
