/**
 * @module entry/deps
 * Assembles the app's dependencies from a SQL driver and what the runtime supplies (keys, fonts,
 * template). Shared by entry/node.ts and entry/worker.ts, so it imports nothing runtime-specific.
 */
import type { TrustStore } from '../crypto/trustStore.js';
import type { FontSet } from '../render/fonts.js';
import type { CertificateTemplate } from '../render/certificatePdf.js';
import type { VerificationRecordTemplate } from '../render/verificationRecordPdf.js';
import type { ApprovalFormTemplate } from '../render/approvalFormPdf.js';
import { CertificateRepository } from '../storage/certificates.js';
import { OrganisationRepository } from '../storage/organisations.js';
import { VerificationRecordRepository } from '../storage/verificationRecords.js';
import { ApplicationRepository } from '../storage/applications.js';
import { AuditRepository } from '../storage/audit.js';
import { CalendarRepository } from '../storage/calendar.js';
import { BanRepository } from '../storage/bans.js';
import type { LogSigner } from '../crypto/logHead.js';
import type { SqlDriver } from '../storage/driver.js';
import type { AppDeps } from '../http/env.js';
import type { ServiceConfig } from './config.js';

export interface RuntimeParts {
  driver: SqlDriver;
  /** Loads and checks the keys; called once, its result cached. */
  loadTrust(): Promise<TrustStore>;
  fonts: FontSet;
  template: CertificateTemplate;
  recordTemplate: VerificationRecordTemplate;
  formTemplate: ApprovalFormTemplate;
  config: Pick<ServiceConfig, 'publicUrl' | 'lookupLimit'> & { testClock?: boolean };
  clientAddress: AppDeps['clientAddress'];
  now?: () => Date;
  /** Loads the service key that signs the verification log's heads (crypto/logHead.ts); optional. */
  loadLogSigner?: () => Promise<LogSigner | undefined>;
}

/** Every issuing authority in the trust store is an organisation tokens can be scoped to. */
export async function registerAuthorities(organisations: OrganisationRepository, trust: TrustStore, now: Date): Promise<void> {
  for (const authority of trust.authorities) {
    await organisations.registerAuthority(authority.code, authority.name, now.toISOString());
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

/** @example const deps = createDeps({ driver, loadTrust, fonts, template, config, clientAddress }); */
export function createDeps(parts: RuntimeParts): AppDeps {
  const now = parts.now ?? (() => new Date());
  const organisations = new OrganisationRepository(parts.driver);
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
    db: parts.driver,
    certificates: new CertificateRepository(parts.driver),
    organisations,
    verificationRecords: new VerificationRecordRepository(parts.driver),
    bans: new BanRepository(parts.driver),
    applications: new ApplicationRepository(parts.driver),
    audit: new AuditRepository(parts.driver),
    calendar: new CalendarRepository(parts.driver),
    ...(parts.loadLogSigner ? { logSigner: once(parts.loadLogSigner) } : {}),
    trust: loadOnce,
    fonts: parts.fonts,
    template: parts.template,
    recordTemplate: parts.recordTemplate,
    formTemplate: parts.formTemplate,
    publicUrl: parts.config.publicUrl,
    now,
    clientAddress: parts.clientAddress,
    lookupLimit: parts.config.lookupLimit,
    testClock: parts.config.testClock ?? false,
  };
}
