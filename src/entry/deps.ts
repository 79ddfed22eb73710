/**
 * @module entry/deps
 * Assembles the app's dependencies from a SQL driver and what the runtime supplies (keys, fonts,
 * template). Shared by entry/node.ts and entry/worker.ts, so it imports nothing runtime-specific.
 */
import type { TrustStore } from '../crypto/trustStore.js';
import type { FontSet } from '../render/fonts.js';
import type { CertificateTemplate } from '../render/certificate/pdf.js';
import type { VerificationRecordTemplate } from '../render/verificationRecord/pdf.js';
import type { ApprovalFormTemplate } from '../render/approvalForm/pdf.js';
import { CertificateRepository } from '../storage/certificates.js';
import { OrganisationRepository } from '../storage/organisations.js';
import { VerificationRecordRepository } from '../storage/verificationRecords.js';
import { ApplicationRepository } from '../storage/applications.js';
import { CaseStatementRepository } from '../storage/caseStatements.js';
import { ApprovalFormRepository } from '../storage/approvalForms.js';
import { AuditRepository } from '../storage/audit.js';
import { BatchRepository } from '../storage/batches.js';
import { CalendarRepository } from '../storage/calendar.js';
import { BanRepository } from '../storage/bans.js';
import { LogRepository } from '../storage/chainLogs.js';
import { createServiceDriver } from '../storage/chainWriter.js';
import { headSigner } from '../services/verificationLog.js';
import { sha256Hex } from '../lib/bytes.js';
import type { LogSigner } from '../crypto/logHead.js';
import type { SealMasterKey } from '../crypto/sealVault.js';
import { SealRepository } from '../storage/seals.js';
import type { SqlDriver } from '../storage/driver.js';
import type { BlobStore } from '../storage/blobs.js';
import type { AppDeps } from '../http/env.js';
import type { ServiceConfig } from './config.js';
import { DEMO_AUTHORITY_USCCS } from '../domain/licenceIdentifier.js';

export interface RuntimeParts {
  driver: SqlDriver;
  /** Where PDFs, photos, evidence and materials are kept (issue 15): a directory on Node, R2 on Workers; memoryBlobStore() only by a `:memory:` database's explicit choice. */
  blobs: BlobStore;
  /** Loads and checks the keys; called once, its result cached. */
  loadTrust(): Promise<TrustStore>;
  fonts: FontSet;
  template: CertificateTemplate;
  recordTemplate: VerificationRecordTemplate;
  formTemplate: ApprovalFormTemplate;
  config: Pick<ServiceConfig, 'publicUrl' | 'lookupLimit'> & { testClock?: boolean; statusListSize?: number | undefined; licenceTypeCode?: string | undefined };
  clientAddress: AppDeps['clientAddress'];
  /** Where the rate limit's buckets live (Workers: Durable Objects); this process's memory when absent. */
  rateLimiter?: AppDeps['rateLimiter'];
  now?: () => Date;
  /** Loads the service key that signs the chained logs' heads (crypto/logHead.ts); optional. */
  loadLogSigner?: () => Promise<LogSigner | undefined>;
  /** Loads the master key of seal private keys (issue 16, crypto/sealVault.ts); absent, no seal can be made or used. */
  loadSealMasterKey?: () => Promise<SealMasterKey | undefined>;
  /** SHA-256 (hex) for the chains; WebCrypto unless the runtime has a faster one (node:crypto). */
  sha256hex?: (text: string) => string | Promise<string>;
  /** Chained writes committed together at most (storage/chainWriter group commit); Workers: 1. */
  maxGroup?: number;
}

/**
 * Every issuing authority in the trust store is an organisation tokens can be scoped to. On the public demo root
 * the demo authorities also get made-up 统一社会信用代码 where they have none (issue 19 item 1: the 电子证照标识 needs
 * one), so the demo issues identifiers out of the box; real authorities' codes are entered by their admins.
 */
export async function registerAuthorities(organisations: OrganisationRepository, trust: TrustStore, now: Date): Promise<void> {
  for (const authority of trust.authorities) {
    await organisations.registerAuthority(authority.code, authority.name, now.toISOString());
    const demoUscc = trust.isDemo ? DEMO_AUTHORITY_USCCS[authority.code] : undefined;
    if (demoUscc) await organisations.giveUsccIfNone(authority.code, demoUscc);
  }
}

/** A loader run at most once; a failure is not kept, so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}

/** @example const deps = createDeps({ driver, blobs, loadTrust, fonts, template, config, clientAddress }); */
export function createDeps(parts: RuntimeParts): AppDeps {
  const now = parts.now ?? (() => new Date());
  const logSigner = parts.loadLogSigner ? once(parts.loadLogSigner) : undefined;
  // Every write passes the chain writer: chained rows linked and hashed, heads signed when due (C11, C13).
  const driver = createServiceDriver(parts.driver, { sha256hex: parts.sha256hex ?? sha256Hex, signHead: headSigner({ logSigner, now }), ...(parts.maxGroup ? { maxGroup: parts.maxGroup } : {}) });
  const organisations = new OrganisationRepository(driver);
  const { blobs } = parts;
  let trust: Promise<TrustStore> | undefined;
  const loadOnce = () => {
    trust ??= parts.loadTrust().then(async (store) => {
      await registerAuthorities(organisations, store, now());
      return store;
    });
    // A failed load is not kept: the next request tries again (and /healthz reports it meanwhile).
    trust.catch(() => (trust = undefined));
    return trust;
  };
  return {
    db: driver,
    certificates: new CertificateRepository(driver, blobs),
    organisations,
    verificationRecords: new VerificationRecordRepository(driver, blobs),
    bans: new BanRepository(driver),
    applications: new ApplicationRepository(driver),
    statements: new CaseStatementRepository(driver),
    approvalForms: new ApprovalFormRepository(driver, blobs),
    audit: new AuditRepository(driver),
    calendar: new CalendarRepository(driver),
    batches: new BatchRepository(driver),
    logs: new LogRepository(driver),
    seals: new SealRepository(driver),
    blobs,
    ...(logSigner ? { logSigner } : {}),
    ...(parts.loadSealMasterKey ? { sealMasterKey: once(parts.loadSealMasterKey) } : {}),
    trust: loadOnce,
    fonts: parts.fonts,
    template: parts.template,
    recordTemplate: parts.recordTemplate,
    formTemplate: parts.formTemplate,
    publicUrl: parts.config.publicUrl,
    now,
    clientAddress: parts.clientAddress,
    lookupLimit: parts.config.lookupLimit,
    ...(parts.rateLimiter ? { rateLimiter: parts.rateLimiter } : {}),
    testClock: parts.config.testClock ?? false,
    statusListSize: parts.config.statusListSize,
    licenceTypeCode: parts.config.licenceTypeCode,
  };
}
