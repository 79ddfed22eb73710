/**
 * @module cli/seal
 * `npm run cli -- seal …` and `keys seal-ca` (issue 16): the operator's side of organisations' electronic
 * seals. The CLI acts as the operator (person `cli`), audited like an admin; keys are never printed.
 *
 *   keys seal-ca [--dir keys] [--years 10]     make the seal CA under the root (needs root.key.pem)
 *   seal master-key [--file F]                 make the seal master key file (0600); default $ECERT_SEAL_MASTER_KEY_FILE
 *                                              or <keys>/seal-master.key; `wrangler secret put ECERT_SEAL_MASTER_KEY < F` on Workers
 *   seal create|rotate --org C                 make C's seal / replace it (the old one is retired, still verifying)
 *   seal revoke --org C --id SEAL… [--reason R]  revoke a seal: it signs nothing from now on
 *   seal list --org C                          C's seals, newest first
 */
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceConfig } from '../entry/config.js';
import { openNodeContext } from '../entry/nodeContext.js';
import { readKeyBundle, writeSealCa, writeSealMasterKey } from '../entry/keysDir.js';
import { createSealCa } from '../crypto/createSealCa.js';
import { reissueRootForSealCa } from '../crypto/createRootCa.js';
import { newSealMasterKeyText } from '../crypto/sealVault.js';
import { createSeal, listSeals, revokeSeal, rotateSeal, type Seal } from '../services/seals.js';
import type { Actor } from '../services/context.js';

export interface SealCliOptions {
  dir: string;
  years?: string | undefined;
  file?: string | undefined;
  org?: string | undefined;
  id?: string | undefined;
  reason?: string | undefined;
}

const line = (seal: Seal) =>
  `${seal.id}  ${seal.status.padEnd(7)}  kid=${seal.kid}  USCC=${seal.uscc}  ${seal.notBefore.slice(0, 10)}…${seal.notAfter.slice(0, 10)}${seal.revokedAt ? `  revoked ${seal.revokedAt} (${seal.revocationReason ?? ''})` : ''}`;

/** `keys seal-ca`: returns the exit code. */
export async function makeSealCa(options: SealCliOptions, print: (text: string) => void): Promise<number> {
  const bundle = await readKeyBundle(options.dir);
  if (!bundle.root.keyPem) {
    print(`${options.dir}/root.key.pem 不存在：电子印章签发机构证书需要根私钥 / the root private key is needed`);
    return 2;
  }
  const ca = await createSealCa({ root: { certPem: bundle.root.certPem, keyPem: bundle.root.keyPem }, validYears: Number(options.years ?? 10) });
  const { certPath } = await writeSealCa(options.dir, ca);
  print(`电子印章签发机构证书已签发 / seal CA issued: kid=${ca.kid} → ${certPath}`);
  print('它只签发单位电子印章证书。It issues organisations\' seal certificates only. Workers: keys bundle | wrangler secret put ECERT_KEYS');
  return 0;
}

/**
 * `keys root-reissue`: a root made before the seal CA (pathlen:0) re-issued with the same key, subject and
 * validity allowing one CA below it. The old root.pem is kept beside it as root.pathlen0.pem; everything the
 * root signed stays valid under both. Then: keys seal-ca, and on Workers keys bundle | wrangler secret put.
 */
export async function reissueRoot(dir: string, print: (text: string) => void): Promise<number> {
  const bundle = await readKeyBundle(dir);
  if (!bundle.root.keyPem) {
    print(`${dir}/root.key.pem 不存在：重新签发根证书需要根私钥 / the root private key is needed`);
    return 2;
  }
  const old = join(dir, 'root.pathlen0.pem');
  if (existsSync(old)) {
    print(`${old} 已存在：根证书已重新签发过 / the root was re-issued already`);
    return 2;
  }
  const root = await reissueRootForSealCa({ certPem: bundle.root.certPem, keyPem: bundle.root.keyPem });
  // Written beside it first, so a failed write never leaves the directory without a root.pem.
  const fresh = join(dir, 'root.pathlen1.pem.new');
  await writeFile(fresh, root.certPem, { flag: 'w' });
  await rename(join(dir, 'root.pem'), old);
  await rename(fresh, join(dir, 'root.pem'));
  print(`根证书已以同一密钥重新签发（pathlen:1）/ root re-issued with its own key (pathlen:1): ${dir}/root.pem; 原证书 / the old one: ${old}`);
  print('已签发的证书照常有效。Everything it signed stays valid. Next: keys seal-ca; Workers: keys bundle | wrangler secret put ECERT_KEYS');
  return 0;
}

/** `seal …`: returns the exit code. */
export async function runSealCommand(sub: string | undefined, options: SealCliOptions, config: ServiceConfig, print: (text: string) => void): Promise<number> {
  if (sub === 'master-key') {
    const file = options.file ?? config.sealMasterKeyFile;
    if (existsSync(file)) {
      print(`${file} 已存在，不覆盖：丢失主密钥即无法再用已有印章 / already exists, not overwritten: losing it makes every seal unusable`);
      return 2;
    }
    await writeSealMasterKey(file, newSealMasterKeyText());
    print(`电子印章主密钥已生成 / seal master key written: ${file} (0600) — 请另行备份，切勿与数据库放在一起 / back it up apart from the database`);
    return 0;
  }
  if (!options.org || !/^[A-Z0-9]{2,20}$/.test(options.org)) {
    print('--org 须为 2–20 位大写字母或数字 / --org must be 2–20 upper-case letters or digits');
    return 2;
  }
  const org = options.org;
  // The operator acts at the organisation itself: within its own subtree, audited as person `cli`.
  const actor: Actor = { orgCode: org, role: 'admin', tokenId: 'cli', personId: 'cli', personName: 'CLI' };
  const context = await openNodeContext(config);
  try {
    const ctx = context.deps;
    if (sub === 'list') {
      const seals = await listSeals(ctx, actor, org);
      if (seals.length === 0) print(`${org} 尚无电子印章 / has no seal`);
      for (const seal of seals) print(line(seal));
      return 0;
    }
    if (sub === 'create') {
      print(`电子印章已创建 / seal created: ${line(await createSeal(ctx, actor, org))}`);
      return 0;
    }
    if (sub === 'rotate') {
      const { seal, retired } = await rotateSeal(ctx, actor, org);
      print(`电子印章已更换 / seal rotated: ${line(seal)}  (retired ${retired})`);
      return 0;
    }
    if (sub === 'revoke') {
      if (!options.id) {
        print('--id 必填 / --id is required (see seal list)');
        return 2;
      }
      print(`电子印章已注销 / seal revoked: ${line(await revokeSeal(ctx, actor, org, options.id, options.reason ?? '运维注销 / revoked by the operator'))}`);
      return 0;
    }
    print('seal create|rotate|revoke|list --org C | seal master-key [--file F]');
    return 2;
  } finally {
    context.close();
  }
}
