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
import {
  bitstring,
  listForNewPlace,
  MESSAGE_STATUS_SIZE,
  multiBitstring,
  STATE_STATUS_VALUES,
  STATUS_LIST_SIZE,
  statusListCapacity,
  statusMessages,
} from '../domain/statusList.js';
import type { Certificate } from '../domain/certificate.js';
import { base64url, randomBytes } from '../lib/bytes.js';
import type { ServiceContext } from './context.js';

const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export const authorityId = (publicUrl: string, code: string) => `${publicUrl}/authorities/${code}`;
/**
 * The address of an authority's status list `list`: list 1 keeps the address certificates issued before
 * issue 15 name (/status/{code}/revocation); list n ≥ 2 is /status/{code}/revocation/{n}.
 */
export const statusListUrl = (publicUrl: string, code: string, list = 1) =>
  `${publicUrl}/status/${code}/revocation${list === 1 ? '' : `/${list}`}`;

/**
 * The address of an authority's message list `list` (issue 19 item 3): list 1 at /status/{code}/message, list n ≥ 2
 * at /status/{code}/message/{n} — the same lists, and the same places in them, as the revocation lists.
 */
export const messageListUrl = (publicUrl: string, code: string, list = 1) =>
  `${publicUrl}/status/${code}/message${list === 1 ? '' : `/${list}`}`;

/** The two purposes an authority publishes lists for: revocation (one bit) and message (two bits, the state). */
export type StatusPurpose = 'revocation' | 'message';

/** The list size in force: the production 131,072 unless the context injects a (test) size. */
export const statusListSizeOf = (ctx: Pick<ServiceContext, 'statusListSize'>) => ctx.statusListSize ?? STATUS_LIST_SIZE;

function randomIndex(size: number): number {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return ((a << 16) | (b << 8) | c) % size; // size is a power of two ≤ 2^24 (isStatusListSize): uniform
}

/**
 * The certificate's place in its authority's status lists, drawn on first use: a random index of the newest
 * list, or of the next list once that one is full (statusListCapacity). A lost race (a neighbour or the last
 * free place taken meanwhile) draws again.
 */
export async function statusPlaceOf(ctx: ServiceContext, certificate: Certificate): Promise<{ list: number; index: number }> {
  const size = statusListSizeOf(ctx);
  const capacity = statusListCapacity(size);
  const code = certificate.authority.code;
  for (let attempt = 0; attempt < 64; attempt++) {
    const existing = await ctx.certificates.statusPlace(certificate.number);
    if (existing) return existing;
    const list = listForNewPlace(await ctx.certificates.newestStatusList(code), capacity);
    const index = randomIndex(size);
    if (await ctx.certificates.claimStatusIndex(certificate.number, code, list, index, capacity)) return { list, index };
  }
  throw new Error('no free status-list place found in 64 draws');
}

/** How many status lists the authority has (0 before its first credential is asked for). */
export async function statusListCount(ctx: ServiceContext, code: string): Promise<number> {
  return ctx.certificates.statusListCount(code);
}

export async function signerOf(ctx: ServiceContext, code: string) {
  const signer = (await ctx.trust()).currentSigner(code, ctx.now());
  if (!signer) throw new DomainError('keys_unavailable', { zh: `机构 ${code} 目前没有有效的签名密钥`, en: `Authority ${code} has no current signing key` });
  return signer;
}

/**
 * The certificate's two BitstringStatusListEntry objects (W3C Bitstring Status List v1.0 §2.1): its revocation
 * bit, and its 2-bit state in the message list at the same (list, index), with `statusSize` 2 and the four
 * `statusMessage` elements the spec requires of a status larger than one bit.
 */
export function statusEntries(publicUrl: string, code: string, list: number, index: number): [Record<string, unknown>, Record<string, unknown>] {
  const revocation = statusListUrl(publicUrl, code, list);
  const message = messageListUrl(publicUrl, code, list);
  return [
    { id: `${revocation}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: revocation },
    {
      id: `${message}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: String(index),
      statusListCredential: message,
      statusSize: MESSAGE_STATUS_SIZE,
      statusMessage: statusMessages(),
    },
  ];
}

/**
 * The certificate as a VC 2.0 (compact JWS, `application/vc+jwt`): the title facts with the original
 * acquisition date and specialty (二(二)4), the ID number masked, and its place in the revocation and message lists.
 */
export async function certificateCredential(ctx: ServiceContext, certificate: Certificate): Promise<string> {
  const { list, index } = await statusPlaceOf(ctx, certificate);
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
        // 电子证照标识 (issue 19 item 1): the national libraries' name for the same certificate; absent on older ones.
        ...(certificate.identifier ? { licenceIdentifier: certificate.identifier } : {}),
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
    credentialStatus: statusEntries(ctx.publicUrl, code, list, index),
  };
  return signCredential(credential, await signerOf(ctx, code));
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * One of the authority's status lists as a BitstringStatusListCredential (vc+jwt): GZIP, then multibase
 * base64url (`u` prefix), as the W3C Bitstring Status List v1.0 says. Each list is its own credential, its
 * `id` the address certificates in it name. The revocation list has a bit set for every certificate no longer
 * valid; the message list (issue 19 item 3) its 2-bit state, with `statusSize` and `statusMessages` (§2.2).
 * Each is drawn from one read of the certificates' states, so both always say the same of a certificate read at
 * the same moment; fetched at different moments (each is cached up to five minutes), one may be older than the
 * other — the offline check then names the ended state and calls the pair out of step, never valid.
 */
export async function statusListCredential(ctx: ServiceContext, code: string, list = 1, purpose: StatusPurpose = 'revocation'): Promise<string> {
  const signer = await signerOf(ctx, code);
  const ended = await ctx.certificates.endedStatusPlaces(code, list);
  const size = statusListSizeOf(ctx);
  const bits =
    purpose === 'revocation'
      ? bitstring(ended.map((p) => p.index), size)
      : multiBitstring(ended.map((p) => [p.index, STATE_STATUS_VALUES[p.state]] as const), size, MESSAGE_STATUS_SIZE);
  const encoded = `u${base64url(await gzip(bits))}`;
  const url = purpose === 'revocation' ? statusListUrl(ctx.publicUrl, code, list) : messageListUrl(ctx.publicUrl, code, list);
  const subject =
    purpose === 'revocation'
      ? { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encoded }
      : { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'message', statusSize: MESSAGE_STATUS_SIZE, statusMessages: statusMessages(), encodedList: encoded };
  return signCredential(
    {
      '@context': [VC_CONTEXT],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: authorityId(ctx.publicUrl, code), name: signer.name },
      validFrom: ctx.now().toISOString(),
      credentialSubject: subject,
    },
    signer,
  );
}
