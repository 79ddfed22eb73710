/**
 * @module scripts/make-demo-keys
 * Generates the public demo trust chain in keys.example/: a demo root (marked so production refuses it),
 * three authorities — the region title office for all levels, the Nanning city office for 中初级, and a
 * self-evaluating university (notice 二(一)) — and the service key (ECERT, no title level) that signs the
 * verification log's heads, and the seal CA and seal master key of organisations' electronic seals (issue
 * 16). On a directory that already has a root it keeps everything there and only adds what is missing of
 * the service key, the seal CA and the seal master key, signed by that root.
 *
 *   npx tsx scripts/make-demo-keys.ts keys.example
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthorityCertificate, createServiceCertificate } from '../src/crypto/createAuthorityCertificate.js';
import { parseCertificate } from '../src/crypto/lib/certificate.js';
import { createRootCa } from '../src/crypto/createRootCa.js';
import type { Level } from '../src/domain/levels.js';
import { LEVELS } from '../src/domain/levels.js';
import { readKeyBundle, writeAuthority, writeRoot, writeSealCa, writeSealMasterKey } from '../src/entry/keysDir.js';
import { createSealCa } from '../src/crypto/createSealCa.js';
import { newSealMasterKeyText } from '../src/crypto/sealVault.js';
import { readServiceKeys, writeServiceKey } from '../src/entry/serviceKey.js';

const DEMO_AUTHORITIES: { code: string; name: string; levels: readonly Level[] }[] = [
  { code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', levels: LEVELS },
  { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', levels: ['intermediate', 'assistant', 'junior'] },
  { code: 'GXUZP', name: '广西大学', levels: ['senior_associate', 'intermediate', 'assistant'] },
];

// Backdated a year, so a machine whose clock runs behind the one that made the keys still accepts them.
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

async function main(dir: string): Promise<void> {
  if (existsSync(join(dir, 'root.pem'))) {
    const root = { certPem: readFileSync(join(dir, 'root.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'root.key.pem'), 'utf8') };
    // Same validity start as the rest of the existing demo chain.
    const start = parseCertificate(root.certPem)!.notBefore;
    if ((await readServiceKeys(dir)).length === 0) await addServiceKey(dir, root, start);
    await addSealKeys(dir, root, start);
    return;
  }
  const notBefore = new Date(Date.now() - YEAR_MS);
  const root = await createRootCa({ commonName: '广西职称电子证书根证书', validYears: 30, demo: true, notBefore });
  await writeRoot(dir, root);
  console.log(`demo root → ${dir}/root.pem`);
  for (const authority of DEMO_AUTHORITIES) {
    const issued = await createAuthorityCertificate({ root, ...authority, validYears: 10, notBefore });
    await writeAuthority(dir, { ...issued, code: authority.code });
    console.log(`${authority.code} (${authority.levels.join(', ')}) → kid ${issued.kid}`);
  }
  await addServiceKey(dir, root, notBefore);
  await addSealKeys(dir, root, notBefore);
}

/** The seal CA and the seal master key (issue 16), each only when missing. */
async function addSealKeys(dir: string, root: { certPem: string; keyPem: string }, notBefore: Date): Promise<void> {
  if (!((await readKeyBundle(dir)).sealCa ?? []).length) {
    const ca = await createSealCa({ root, validYears: 10, notBefore });
    await writeSealCa(dir, ca);
    console.log(`seal CA → kid ${ca.kid}`);
  }
  if (!existsSync(join(dir, 'seal-master.key'))) {
    await writeSealMasterKey(join(dir, 'seal-master.key'), newSealMasterKeyText());
    console.log(`seal master key → ${dir}/seal-master.key (set DEMO_SEAL_MASTER_KEY_ID in src/crypto/sealVault.ts to its id)`);
  }
}

async function addServiceKey(dir: string, root: { certPem: string; keyPem: string }, notBefore: Date): Promise<void> {
  const service = await createServiceCertificate({ root, validYears: 10, notBefore });
  await writeServiceKey(dir, service);
  console.log(`ECERT (service key, no title level) → kid ${service.kid}`);
}

main(process.argv[2] ?? 'keys.example').catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
