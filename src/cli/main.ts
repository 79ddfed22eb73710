/**
 * @module cli/main
 * `npm run cli -- <command>`: keys and tokens for operators, and the offline verifier for anyone.
 *
 *   keys init [--dir keys]                                   make a new root CA (keep root.key.pem offline); without
 *                                                            --dir: $ECERT_KEYS when set, else keys/
 *   authority add --code C --name N --levels l1,l2 [--dir keys] [--years 10]
 *                                                            issue an authority certificate (again = key rotation)
 *   org add --code C --name N --kind K [--parent P]          add an organisation or change its name, kind and parent; any
 *           [--contact-phone T] [--contact-address A]        kind, but each ranks strictly below its parent (no bypass);
 *           [--uscc 18-character code]                       its 统一社会信用代码 (GB 32100 check character; "" clears it)
 *                                                            the contact employers see (a part left out is kept, "" clears it)
 *   token create --org C --role R [--name N] [--label L]     add a person holding role R at C and print their new API
 *                                                            token (stdout: the token alone)
 *   keys service [--dir keys] [--years 10]                   make the service key (code ECERT, no title level) that signs
 *                                                            the verification log's chain heads
 *   keys bundle [--dir keys]                                 print the key bundle JSON for `wrangler secret put ECERT_KEYS`
 *   keys seal-ca [--dir keys] [--years 10]                   make the seal CA that issues organisations' electronic seals
 *   keys root-reissue [--dir keys]                           re-issue a pathlen:0 root with its own key allowing the seal CA
 *   seal master-key [--file F] | seal create|rotate|list --org C | seal revoke --org C --id S [--reason R]
 *                                                            organisations' electronic seals (cli/seal.ts)
 *   log check [--trust root.pem] [--head FILE|URL …]         verify the 核实 log, the audit trail and the case history, and
 *                                                            that they still hold each head kept elsewhere; exit 0 only when whole
 *                                                            and verified (no root: UNVERIFIED, exit 3)
 *   verify <file.pdf | token | credential | url> [--trust root.pem]  check a certificate offline; exit 0 only when valid;
 *                                                            an approval form.pdf: every signature and seal in order;
 *                                                            statements.json (GET …/statements): every sealed statement
 *   verify-sd-jwt FILE [--jwks F|URL] [--trust root.pem]     an SD-JWT VC (issue 17 item 3): signature against the JWKS,
 *                                                            disclosure digests, status list; prints the disclosed claims
 *   blobs check [--delete-orphans]                           compare the files beside the database (<db>.blobs/) with the
 *                                                            rows that name them: missing or damaged files (exit 1) and
 *                                                            orphans (named by no row; deleted only with --delete-orphans);
 *                                                            the database read-only, no keys, no migrations
 *
 * `--edge local|remote` points `token create`, `authority add` and `log check` at D1 through wrangler (local: the
 * `npm run dev:edge` state, or `--persist-to DIR`; remote: the deployed database).
 */
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../entry/config.js';
import { openNodeContext } from '../entry/nodeContext.js';
import { DomainError } from '../domain/errors.js';
import { checkOrganisationContact } from '../domain/organisationContact.js';
import { isLevel, LEVELS, type Level } from '../domain/levels.js';
import { createRootCa } from '../crypto/createRootCa.js';
import { createAuthorityCertificate, createServiceCertificate } from '../crypto/createAuthorityCertificate.js';
import { readKeyBundle, writeAuthority, writeRoot } from '../entry/keysDir.js';
import { createPerson, createToken, ROLES, type Role } from '../services/tokens.js';
import { isOrganisationKind, ORGANISATION_KINDS } from '../domain/routing.js';
import { placementFault } from '../domain/ranks.js';
import { verifyOffline } from './verify.js';
import { verifySdJwtFile } from './verifySdJwt.js';
import { createWranglerD1Driver } from './wranglerD1.js';
import { OrganisationRepository } from '../storage/organisations.js';
import { loadTrustStore } from '../crypto/trustStore.js';
import { registerAuthorities } from '../entry/deps.js';
import { readServiceKeys, writeServiceKey } from '../entry/serviceKey.js';
import { VerificationRecordRepository } from '../storage/verificationRecords.js';
import { LogRepository } from '../storage/chainLogs.js';
import { chainLogSource, repositoryLogSource } from '../services/chainCheck.js';
import type { LogHead } from '../domain/recordChain.js';
import { blobsAsBytes, keptHead, runLogCheck, sqliteLogSource } from './logCheck.js';
import { blobReportLines } from '../storage/blobCheck.js';
import { openBlobStore } from '../entry/nodeContext.js';
import { createWranglerR2BlobStore } from './wranglerR2.js';
import { checkBlobsOf } from './blobsCheck.js';
import { makeSealCa, reissueRoot, runSealCommand } from './seal.js';
import { checkUscc } from '../domain/uscc.js';

const USAGE = `用法 / usage:
  npm run cli -- keys init [--dir keys]
  npm run cli -- authority add --code GXZGB --name 广西壮族自治区职称改革工作领导小组办公室 --levels ${LEVELS.join(',')} [--dir keys] [--years 10]
  npm run cli -- org add --code NNJTJ --name 南宁市交通运输局 --kind ${ORGANISATION_KINDS.join('|')} [--parent NNZGB] [--contact-phone 0771-1234567] [--contact-address 地址]
  npm run -s cli -- token create --org GXZGB --role ${ROLES.join('|')} [--name 姓名] [--label 说明]
  npm run cli -- keys service [--dir keys] [--years 10]
  npm run -s cli -- keys bundle [--dir keys] | npx wrangler secret put ECERT_KEYS
  npm run cli -- keys seal-ca [--dir keys] [--years 10]
  npm run cli -- keys root-reissue [--dir keys]
  npm run cli -- seal master-key [--file F]
  npm run cli -- seal create|rotate|list --org C
  npm run cli -- seal revoke --org C --id SEAL… [--reason R]
  npm run cli -- log check [--trust root.pem] [--head head.json|https://…/api/v1/verification-log/head]
  npm run cli -- verify <证书.pdf | 审批表 form.pdf | statements.json | token | 凭证 vc+jwt | url> [--trust|--root root.pem]
  npm run cli -- verify-sd-jwt <cert.sd-jwt> [--jwks jwks.json|https://…/.well-known/jwks.json] [--trust root.pem]
  npm run cli -- blobs check [--delete-orphans]
  --edge local|remote [--persist-to DIR]: token create / authority add / log check against D1 via wrangler`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      root: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      levels: { type: 'string' },
      years: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      kind: { type: 'string' },
      parent: { type: 'string' },
      'contact-phone': { type: 'string' },
      'contact-address': { type: 'string' },
      trust: { type: 'string' },
      jwks: { type: 'string' },
      head: { type: 'string', multiple: true },
      edge: { type: 'string' },
      'persist-to': { type: 'string' },
      'delete-orphans': { type: 'boolean' },
      file: { type: 'string' },
      id: { type: 'string' },
      reason: { type: 'string' },
      uscc: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  const env = loadConfig(process.env);
  const keysDir = values.dir ?? env.keys;

  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (values.edge !== undefined && values.edge !== 'local' && values.edge !== 'remote') fail('--edge 取值 local 或 remote / --edge must be local or remote');
  const edge = values.edge as 'local' | 'remote' | undefined;
  /** The organisations of the database the command is aimed at: SQLite file, or D1 through wrangler. */
  const organisationsOf = async (): Promise<{ organisations: OrganisationRepository; close(): void }> => {
    if (!edge) {
      const context = await openNodeContext(env);
      return { organisations: context.deps.organisations, close: context.close };
    }
    const organisations = new OrganisationRepository(createWranglerD1Driver({ mode: edge, persistTo: values['persist-to'] }));
    // The worker registers authorities on its first request; do it now so tokens can be made before that.
    await registerAuthorities(organisations, await loadTrustStore(await readKeyBundle(keysDir), { production: false }), new Date());
    return { organisations, close: () => undefined };
  };

  if (command === 'keys' && sub === 'bundle') {
    const bundle = await readKeyBundle(keysDir);
    const service = await readServiceKeys(keysDir);
    const sealCa = bundle.sealCa ?? [];
    process.stdout.write(`${JSON.stringify({ root: { certPem: bundle.root.certPem }, authorities: bundle.authorities, ...(service.length ? { service } : {}), ...(sealCa.length ? { sealCa } : {}) })}\n`);
    return 0;
  }
  if (command === 'keys' && sub === 'root-reissue') return reissueRoot(keysDir, (text) => console.log(text));
  if (command === 'keys' && sub === 'seal-ca') return makeSealCa({ dir: keysDir, years: values.years }, (text) => console.log(text));
  if (command === 'seal') {
    return runSealCommand(sub, { dir: keysDir, file: values.file, org: values.org, id: values.id, reason: values.reason }, env, (text) => console.log(text));
  }
  if (command === 'keys' && sub === 'service') {
    const bundle = await readKeyBundle(keysDir);
    if (!bundle.root.keyPem) fail(`${keysDir}/root.key.pem 不存在：服务密钥证书需要根私钥 / the root private key is needed`);
    const service = await createServiceCertificate({ root: { certPem: bundle.root.certPem, keyPem: bundle.root.keyPem }, validYears: Number(values.years ?? 10) });
    const { certPath } = await writeServiceKey(keysDir, service);
    console.log(`服务密钥已签发 / service key issued: ECERT kid=${service.kid} → ${certPath}`);
    console.log('它只签核实日志的链头，不能签发证书。It signs the verification log\'s chain heads only, never a certificate.');
    return 0;
  }
  if (command === 'log' && sub === 'check') {
    const trustPath = values.trust ?? values.root ?? join(keysDir, 'root.pem');
    const rootPem = existsSync(trustPath) ? readFileSync(trustPath, 'utf8') : undefined;
    if (!rootPem) console.error(`找不到信任根 ${trustPath}：链头签名不验证 / trust root not found, head signatures are not verified`);
    const print = (line: string) => console.log(line);
    // Heads kept elsewhere (--head): each verified against the root first; one that is not stops the check.
    const kept: LogHead[] = [];
    for (const where of values.head ?? []) {
      const loaded = await keptHead(where, rootPem, { token: process.env.ECERT_TOKEN });
      if ('problem' in loaded) fail(`${loaded.problem.zh}\n${loaded.problem.en}`, 1);
      kept.push(loaded.head);
    }
    // The audit trail and the case history are chained from migration 0007 on: a database from before it cannot be checked yet.
    const unmigrated = `数据库尚未应用迁移 0007（审计日志与案件历史入链）：请先启动一次服务（D1：wrangler d1 migrations apply）/ the database predates migration 0007, which chains the audit trail and the case history: start the service once (D1: wrangler d1 migrations apply), then check again`;
    const migrated = (driver: { first<T>(sql: string): Promise<T | undefined> }) => driver.first<{ ok: number }>("SELECT 1 AS ok FROM d1_migrations WHERE name LIKE '0007%'").then(Boolean, () => false);
    if (edge) {
      const driver = blobsAsBytes(createWranglerD1Driver({ mode: edge, persistTo: values['persist-to'] }), ['bytes']);
      if (!(await migrated(driver))) fail(unmigrated, 1);
      const logs = new LogRepository(driver);
      // The evidence is in R2 (issue 15), read through wrangler as the Worker's bucket.
      const blobs = createWranglerR2BlobStore({ mode: edge, persistTo: values['persist-to'] });
      const sources = [repositoryLogSource(new VerificationRecordRepository(driver, blobs)), chainLogSource(logs, 'audit'), chainLogSource(logs, 'history')];
      return runLogCheck(sources, rootPem, print, kept);
    }
    if (!existsSync(env.db)) fail(`找不到数据库 / database not found: ${env.db} (ECERT_DB)`);
    const db = new Database(env.db, { readonly: true, fileMustExist: true });
    try {
      if (!(await migrated({ first: async <T,>(sql: string) => db.prepare(sql).get() as T | undefined }))) fail(unmigrated, 1);
      return await runLogCheck([sqliteLogSource(db, 'verification', openBlobStore(env.db, { readOnly: true })), sqliteLogSource(db, 'audit'), sqliteLogSource(db, 'history')], rootPem, print, kept);
    } finally {
      db.close();
    }
  }
  if (command === 'keys' && sub === 'init') {
    // Where the server will look (ECERT_KEYS) when that is set; never into the demo keys by default.
    const dir = values.dir ?? (process.env.ECERT_KEYS ? keysDir : 'keys');
    if (existsSync(join(dir, 'root.pem'))) fail(`${dir}/root.pem 已存在，不覆盖 / already exists, not overwritten`);
    const root = await createRootCa({ commonName: '职称电子证书根证书 Title e-certificate Root CA', validYears: 30 });
    await writeRoot(dir, root);
    console.log(`根证书已生成 / root CA written to ${dir}/root.pem (private key ${dir}/root.key.pem — keep it offline)`);
    return 0;
  }
  if (command === 'authority' && sub === 'add') {
    const { code, name } = values;
    if (!code || !/^[A-Z0-9]{2,20}$/.test(code)) fail('--code 须为 2–20 位大写字母或数字 / --code must be 2–20 upper-case letters or digits');
    if (!name) fail('--name 必填 / --name is required');
    const levels = (values.levels ?? '').split(',').map((l) => l.trim()).filter(Boolean);
    const bad = levels.filter((l) => !isLevel(l));
    if (levels.length === 0 || bad.length > 0) fail(`--levels 取值须为 ${LEVELS.join(',')} 中的一个或多个${bad.length ? `（错误：${bad.join(',')}）` : ''}`);
    const bundle = await readKeyBundle(keysDir);
    if (!bundle.root.keyPem) fail(`${keysDir}/root.key.pem 不存在：签发机构证书需要根私钥 / the root private key is needed`);
    const authority = await createAuthorityCertificate({
      root: { certPem: bundle.root.certPem, keyPem: bundle.root.keyPem },
      code,
      name,
      levels: levels as Level[],
      validYears: Number(values.years ?? 10),
    });
    await writeAuthority(keysDir, { ...authority, code });
    console.log(`机构证书已签发 / authority certificate issued: ${code} kid=${authority.kid} levels=${levels.join(',')}`);
    if (edge) {
      (await organisationsOf()).close();
      console.log(`已登记到 D1 (${edge})。然后 / then: npm run -s cli -- keys bundle --dir ${keysDir} | npx wrangler secret put ECERT_KEYS`);
    } else {
      console.log('重启服务后新证书即使用此密钥；旧密钥签发的证书继续有效。Restart the service: new certificates use this key, earlier ones keep verifying.');
    }
    return 0;
  }
  if (command === 'token' && sub === 'create') {
    if (!values.org) fail('--org 必填 / --org is required');
    if (!values.role || !(ROLES as readonly string[]).includes(values.role)) fail(`--role 取值 / must be one of: ${ROLES.join(', ')}`);
    const target = await organisationsOf();
    try {
      const ctx = { organisations: target.organisations, now: () => new Date() };
      const name = values.name ?? values.label ?? `${values.role}@${values.org}`;
      const person = await createPerson(ctx, { orgCode: values.org, role: values.role as Role, name }, 'cli');
      process.stdout.write(`${await createToken(ctx, person, values.label ?? null)}\n`);
    } finally {
      target.close();
    }
    return 0;
  }
  if (command === 'org' && sub === 'add') {
    const { code, name, kind, parent } = values;
    if (!code || !/^[A-Z0-9]{2,20}$/.test(code)) fail('--code 须为 2–20 位大写字母或数字 / --code must be 2–20 upper-case letters or digits');
    if (!name) fail('--name 必填 / --name is required');
    if (!isOrganisationKind(kind)) fail(`--kind 取值 / must be one of: ${ORGANISATION_KINDS.join(', ')}`);
    const target = await organisationsOf();
    try {
      if (parent && !(await target.organisations.find(parent))) fail(`上级机构 ${parent} 不存在 / parent ${parent} does not exist`);
      // The operator may place any kind anywhere an admin could not, but never out of rank order (domain/ranks.ts).
      const fault = placementFault(await target.organisations.tree(), { code, name, kind, parentCode: parent ?? null });
      if (fault) fail(`${fault.message.zh}\n${fault.message.en} (--${fault.field === 'kind' ? 'kind' : 'parent'})`);
      const phone = values['contact-phone'];
      const address = values['contact-address'];
      const current = phone !== undefined || address !== undefined ? await target.organisations.contact(code) : undefined;
      const contact = current ? checkOrganisationContact({ phone: phone ?? current.phone, address: address ?? current.address }, { phone: '--contact-phone', address: '--contact-address' }) : undefined;
      const uscc = values.uscc === undefined ? undefined : (checkUscc(values.uscc, '--uscc') ?? null);
      await target.organisations.upsert({ code, name, kind, parentCode: parent ?? null }, new Date().toISOString());
      if (contact) await target.organisations.setContact(code, contact);
      if (uscc !== undefined) await target.organisations.setUscc(code, uscc);
      console.log(`机构已登记 / organisation saved: ${code} ${name} (${kind}${parent ? `, parent ${parent}` : ''})`);
      if (contact) console.log(`联系方式 / contact: ${contact.phone ?? '—'} · ${contact.address ?? '—'}`);
    } finally {
      target.close();
    }
    return 0;
  }
  if (command === 'blobs' && sub === 'check') {
    if (edge) fail('blobs check 目前只检查 Node 的文件目录 / blobs check covers the Node blob directory only (R2: see README)');
    if (!existsSync(env.db)) fail(`找不到数据库 / database not found: ${env.db} (ECERT_DB)`);
    const { ok, lines } = blobReportLines(await checkBlobsOf(env.db, { deleteOrphans: values['delete-orphans'] ?? false }));
    for (const line of lines) console.log(line);
    return ok ? 0 : 1;
  }
  if (command === 'verify-sd-jwt') {
    if (!sub || rest.length > 0) fail(USAGE);
    const trustPath = values.trust ?? values.root ?? join(keysDir, 'root.pem');
    return verifySdJwtFile(sub, { jwks: values.jwks, rootPem: existsSync(trustPath) ? readFileSync(trustPath, 'utf8') : undefined }, (line) => console.log(line));
  }
  if (command === 'verify') {
    const subject = sub;
    if (!subject || rest.length > 0) fail(USAGE);
    const trustPath = values.trust ?? values.root ?? join(keysDir, 'root.pem');
    if (!existsSync(trustPath)) fail(`找不到信任根 / trust root not found: ${trustPath}`);
    return verifyOffline(subject, readFileSync(trustPath, 'utf8'), (line) => console.log(line));
  }
  fail(USAGE);
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DomainError) fail(`${error.zh}\n${error.en}`, 1);
    fail(error instanceof Error ? error.message : String(error), 1);
  });
