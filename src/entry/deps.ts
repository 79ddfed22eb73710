/**
 * @module entry/deps
 * Assembles the app's dependencies from a SQL driver and what the runtime supplies (keys, fonts,
 * template). Shared by entry/node.ts and entry/worker.ts, so it imports nothing runtime-specific.
 */
import type { TrustStore } from '../crypto/trustStore.js';
import type { FontSet } from '../render/fonts.js';
import type { CertificateTemplate } from '../render/certificatePdf.js';
import { CertificateRepository } from '../storage/certificates.js';
import { OrganisationRepository } from '../storage/organisations.js';
import type { SqlDriver } from '../storage/driver.js';
import type { AppDeps } from '../http/env.js';
import type { ServiceConfig } from './config.js';

export interface RuntimeParts {
  driver: SqlDriver;
  /** Loads and checks the keys; called once, its result cached. */
  loadTrust(): Promise<TrustStore>;
  fonts: FontSet;
  template: CertificateTemplate;
  config: Pick<ServiceConfig, 'publicUrl' | 'lookupLimit'>;
  clientAddress: AppDeps['clientAddress'];
  now?: () => Date;
}

/** Every issuing authority in the trust store is an organisation tokens can be scoped to. */
export async function registerAuthorities(organisations: OrganisationRepository, trust: TrustStore, now: Date): Promise<void> {
  for (const authority of trust.authorities) {
    await organisations.upsert({ code: authority.code, name: authority.name, kind: 'issuing_authority', parentCode: null }, now.toISOString());
  }
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
    trust: loadOnce,
    fonts: parts.fonts,
    template: parts.template,
    publicUrl: parts.config.publicUrl,
    now,
    clientAddress: parts.clientAddress,
    lookupLimit: parts.config.lookupLimit,
  };
}
