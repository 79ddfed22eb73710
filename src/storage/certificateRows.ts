/**
 * @module storage/certificateRows
 * A certificate's row and the certificate it stands for: the columns read, the mapping both ways (its basis, its
 * identifier's serial columns, its state — revoked by its status, superseded by a correction's link, issue 19 item 2).
 */
import type { Certificate, RevocationReason } from '../domain/certificate.js';
import type { CertificateBasis, SealedBy } from '../domain/certificateBasis.js';
import { parseLicenceIdentifier, type LicenceIdentifierParts } from '../domain/licenceIdentifier.js';

export interface CertificateRow {
  number: string;
  authority_code: string;
  authority_name: string;
  kid: string;
  holder_name: string;
  holder_gender: string;
  id_type: string;
  id_number: string;
  id_number_masked: string;
  photo_type: string | null;
  series_code: string;
  series_name: string;
  title_name: string;
  level: string;
  specialty: string;
  acquired_on: string;
  acquisition_method: string;
  evaluating_body: string;
  original_number: string | null;
  decision_number: string;
  decided_on: string;
  issued_at: string;
  token: string;
  link_proof: string;
  status: string;
  revoked_at: string | null;
  revocation_reason: string | null;
  revocation_note: string | null;
  revoked_by: string | null;
  basis_kind: string | null;
  basis_case_id: string | null;
  basis_decision_number: string | null;
  basis_decided_on: string | null;
  basis_reason: string | null;
  basis_sealed_by: string | null;
  identifier: string | null;
  predecessor: string | null;
  superseded_at: string | null;
  superseded_by: string | null;
  cancelled_at: string | null;
  cancellation_reason: string | null;
  cancellation_note: string | null;
  cancelled_by: string | null;
}

// Every column but the photo, which only the photo route reads (verification stays a small row read).
export const COLUMNS = `c.number, c.authority_code, c.authority_name, c.kid, c.holder_name, c.holder_gender, c.id_type,
  c.id_number, c.id_number_masked, c.photo_type, c.series_code, c.series_name, c.title_name, c.level, c.specialty, c.acquired_on,
  c.acquisition_method, c.evaluating_body, c.original_number, c.decision_number, c.decided_on, c.issued_at, c.token,
  c.link_proof, c.status, c.revoked_at, c.revocation_reason, c.revocation_note, c.revoked_by, c.basis_kind, c.basis_case_id,
  c.basis_decision_number, c.basis_decided_on, c.basis_reason, c.basis_sealed_by, c.identifier, c.predecessor, c.superseded_at, c.superseded_by,
  c.cancelled_at, c.cancellation_reason, c.cancellation_note, c.cancelled_by`;
export const SELECT = `SELECT ${COLUMNS} FROM certificates c`;

export function fromRow(row: CertificateRow): Certificate {
  return {
    number: row.number,
    authority: { code: row.authority_code, name: row.authority_name },
    kid: row.kid,
    holder: {
      name: row.holder_name,
      gender: row.holder_gender as Certificate['holder']['gender'],
      idType: row.id_type as Certificate['holder']['idType'],
      idNumber: row.id_number,
      idNumberMasked: row.id_number_masked,
    },
    photoType: (row.photo_type ?? undefined) as Certificate['photoType'],
    title: {
      series: row.series_code,
      seriesName: row.series_name,
      name: row.title_name,
      level: row.level as Certificate['title']['level'],
      specialty: row.specialty,
    },
    original: {
      acquiredOn: row.acquired_on,
      method: row.acquisition_method as Certificate['original']['method'],
      evaluatingBody: row.evaluating_body,
      certificateNumber: row.original_number ?? undefined,
    },
    decision: { number: row.decision_number, decidedOn: row.decided_on },
    issuedAt: row.issued_at,
    token: row.token,
    linkProof: row.link_proof,
    // The column keeps revocation alone (its CHECK predates corrections); a superseded row is one a correction followed.
    status: row.status === 'valid' && row.cancelled_at ? 'cancelled' : row.status === 'valid' && row.superseded_by ? 'superseded' : (row.status as Certificate['status']),
    revocation:
      row.status === 'revoked' && row.revoked_at
        ? { at: row.revoked_at, reason: row.revocation_reason as RevocationReason, note: row.revocation_note ?? '', by: row.revoked_by ?? '' }
        : undefined,
    basis: basisOf(row),
    ...(row.identifier ? { identifier: row.identifier } : {}),
    ...(row.predecessor ? { predecessor: row.predecessor } : {}),
    ...(row.status === 'valid' && row.cancelled_at
      ? { cancellation: { at: row.cancelled_at, reason: row.cancellation_reason as 'death' | 'duplicate' | 'other', note: row.cancellation_note ?? '', by: row.cancelled_by ?? '' } }
      : {}),
    ...(row.status === 'valid' && row.superseded_at && row.superseded_by ? { supersession: { at: row.superseded_at, successor: row.superseded_by } } : {}),
  };
}

/** The basis as stored (migration 0013); undefined for a certificate issued before it was recorded. */
function basisOf(row: CertificateRow): CertificateBasis | undefined {
  if (row.basis_kind === 'case' && row.basis_case_id) return { kind: 'case', caseId: row.basis_case_id, ...sealedByOf(row.basis_sealed_by) };
  if (row.basis_kind === 'decision' && row.basis_decision_number && row.basis_decided_on) {
    return { kind: 'decision', decisionNumber: row.basis_decision_number, decidedOn: row.basis_decided_on, reason: row.basis_reason ?? '' };
  }
  return undefined;
}

/** The sealed approval a case basis rests on, as stored (JSON); nothing for none or a value that is not one. */
function sealedByOf(text: string | null): { sealedBy?: SealedBy } {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as Partial<SealedBy>;
    return typeof value.code === 'string' && typeof value.name === 'string' && typeof value.at === 'string' ? { sealedBy: value as SealedBy } : {};
  } catch {
    return {};
  }
}

/** The basis columns of an insert, in the order basis_kind, case id, decision number, date, reason, sealed by. */
export function basisColumns(basis: CertificateBasis | undefined): (string | null)[] {
  if (!basis) return [null, null, null, null, null, null];
  return basis.kind === 'case'
    ? ['case', basis.caseId, null, null, null, basis.sealedBy ? JSON.stringify(basis.sealedBy) : null]
    : ['decision', null, basis.decisionNumber, basis.decidedOn, basis.reason, null];
}

/** The fields of an identifier about to be stored (its serial columns); one the service built never fails to parse. */
export function licencePartsOf(identifier: string): LicenceIdentifierParts {
  const parsed = parseLicenceIdentifier(identifier);
  if (!parsed.ok) throw new Error(`not a licence identifier: ${identifier}`);
  return parsed.parts;
}
