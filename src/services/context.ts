/**
 * @module services/context
 * What every use case needs, handed in by the entry (Node or Workers) so the use cases know nothing of
 * the runtime: repositories, the trust store, fonts and template, the public URL and the clock.
 */
import type { ServiceDriver } from '../storage/chainWriter.js';
import type { LogRepository } from '../storage/chainLogs.js';
import type { CertificateRepository } from '../storage/certificates.js';
import type { BlobStore } from '../storage/blobs.js';
import type { OrganisationRepository } from '../storage/organisations.js';
import type { VerificationRecordRepository } from '../storage/verificationRecords.js';
import type { BanRepository } from '../storage/bans.js';
import type { ApplicationRepository } from '../storage/applications.js';
import type { AuditRepository } from '../storage/audit.js';
import type { CaseStatementRepository } from '../storage/caseStatements.js';
import type { ApprovalFormRepository } from '../storage/approvalForms.js';
import type { SealSigner } from '../crypto/caseStatement.js';
import type { CalendarRepository } from '../storage/calendar.js';
import type { BatchRepository } from '../storage/batches.js';
import type { LogSigner } from '../crypto/logHead.js';
import type { TrustStore } from '../crypto/trustStore.js';
import type { SealMasterKey } from '../crypto/sealVault.js';
import type { SealRepository } from '../storage/seals.js';
import type { FontSet } from '../render/fonts.js';
import type { Sighting } from '../domain/verificationSighting.js';
import type { CertificateDocument, CertificateTemplate } from '../render/certificate/pdf.js';

export interface ServiceContext {
  /** The database, for use cases that write several repositories in one batch (every write through the chain writer). */
  db: ServiceDriver;
  certificates: CertificateRepository;
  organisations: OrganisationRepository;
  /** The 核实 log: verification records, their evidence and signed chain heads. */
  verificationRecords: VerificationRecordRepository;
  /** The five-year bans of notice 四(一). */
  bans: BanRepository;
  /** Reconfirmation applications, their history and materials (notice 二(二)). */
  applications: ApplicationRepository;
  /** The append-only audit trail. */
  audit: AuditRepository;
  /** The organisations' sealed statements on each case (issue 16; notice 四(二), 四(四)). */
  statements: CaseStatementRepository;
  /**
   * A signer for an organisation's seal from elsewhere than the seal store (an HSM, or a test's seal); absent,
   * services/seals activeSeal uses the store.
   */
  sealFor?: ((orgCode: string) => Promise<SealSigner | undefined>) | undefined;
  /** The sealed approval forms of finished cases, kept as made (issue 16 item 3). */
  approvalForms: ApprovalFormRepository;
  /** The admin's working-day overrides. */
  calendar: CalendarRepository;
  /** Batch issuance: uploaded sheets, their rows, errors and photos (issue 18). */
  batches: BatchRepository;
  /** The files (PDFs, photos, evidence, materials) beside the database: /healthz probes it for a full disk (issue 15). */
  blobs?: Pick<BlobStore, 'probe'> | undefined;
  /** The three hash-chained logs read back: rows, signed heads. */
  logs: LogRepository;
  /** The service key that signs the log's chain heads; absent or resolving undefined, heads go unsigned. */
  logSigner?: (() => Promise<LogSigner | undefined>) | undefined;
  /** Seals: organisations' electronic seals (issue 16), keys encrypted. */
  seals: SealRepository;
  /**
   * The master key that encrypts seal private keys (crypto/sealVault.ts), kept outside the database: a key
   * file on Node, a Worker secret on Workers. Absent or resolving undefined, no seal can be made or used.
   */
  sealMasterKey?: (() => Promise<SealMasterKey | undefined>) | undefined;
  /** The trust store, loaded once and cached by the entry. */
  trust(): Promise<TrustStore>;
  fonts: FontSet;
  template: CertificateTemplate;
  /**
   * Renders and signs a certificate's PDF elsewhere: on Node a pool of worker threads (entry/renderPool.ts)
   * that refuses with `busy` when its queue is full. Absent (Workers), issuance renders in-line.
   */
  renderCertificate?: CertificateRenderer | undefined;
  /** Base of every link we print, e.g. https://ecert.example.gov.cn (no trailing slash). */
  publicUrl: string;
  /**
   * Where each verification of a holder's certificate is noted for the holder (issue 17 item 4): `add` returns
   * at once and never throws; the entry writes it later in batches (storage/sightingBuffer.ts). Absent: not noted.
   */
  sightings?: { add(sighting: Sighting): void } | undefined;
  /** Entries per Bitstring Status List; STATUS_LIST_SIZE (131,072) unless a test injects a small one (issue 15). */
  statusListSize?: number | undefined;
  /**
   * 证照类型代码 of the 电子证照标识 (issue 19 item 1; ECERT_LICENCE_TYPE_CODE). Undefined: the demo one on the demo
   * root, otherwise certificates are issued without an identifier.
   */
  licenceTypeCode?: string | undefined;
  now(): Date;
}

/** Who is calling, from their token: a named person holding one role at one organisation (四(四)). */
export interface Actor {
  orgCode: string;
  role: string;
  tokenId: string;
  personId: string;
  personName: string;
}

/**
 * One certificate PDF to render and sign: the document, the signing key by its kid (the renderer holds the
 * keys, loaded once), and the signature's reason, place and instant.
 */
export interface CertificatePdfJob {
  document: CertificateDocument;
  /** The issuing authority key that signs the PDF; absent, the PDF is not signed. */
  signerKid?: string | undefined;
  about: { reason: string; location: string; signedAt: string };
}

/** @example const pdf = await ctx.renderCertificate?.({ document, signerKid: signer.kid, about }); */
export type CertificateRenderer = (job: CertificatePdfJob) => Promise<Uint8Array>;
