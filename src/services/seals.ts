/**
 * @module services/seals
 * Organisations' electronic seals (电子印章, issue 16 items 1 and 5). Notice 四(二)、四(四): each level
 * "出具审核意见，加盖单位公章" under "谁确认、谁签字、谁负责" — the seal lets an organisation sign its own
 * opinion. An admin creates, rotates and revokes the seals of their own office and those below it (the
 * subtree rule of every admin action); each change is audited in the same batch. The private key is made
 * here, encrypted under the master key at once, and exists in clear only in memory; it is never logged,
 * never answered, never in an audit row.
 */
import type { SealSigner as CaseStatementSigner } from '../crypto/caseStatement.js';
import { DomainError } from '../domain/errors.js';
import { subtreeOf, routeFrom } from '../domain/routing.js';
import { issueSealCertificate } from '../crypto/issueSealCertificate.js';
import { openPrivateKey, sealPrivateKey, type SealMasterKey } from '../crypto/sealVault.js';
import { sealChain, type SealCa } from '../crypto/sealCa.js';
import { base64url, randomBytes } from '../lib/bytes.js';
import type { Seal } from '../storage/seals.js';
import type { Statement } from '../storage/driver.js';
import { auditOf } from './audit.js';
import type { Actor, ServiceContext } from './context.js';

export type { Seal };

const outside = (code: string) =>
  new DomainError('forbidden', { zh: `机构 ${code} 不在您的管理范围内`, en: `Organisation ${code} is outside what you administer` }, 'code');

const noSeal = (code: string) =>
  new DomainError('conflict', { zh: `该单位尚未设置电子印章（${code}）`, en: `${code} has no electronic seal yet` }, 'code', { orgCode: code });

/** One SELECT that yields a row only when both do. */
const both = (a: Statement, b: Statement): Statement => ({ sql: `SELECT 1 WHERE EXISTS (${a.sql}) AND EXISTS (${b.sql})`, params: [...a.params, ...b.params] });

const alreadySealed = (name: string, code: string) =>
  new DomainError('conflict', { zh: `${name} 已有在用的电子印章；如需更换请使用“更换印章”`, en: `${code} already has an active seal; rotate it instead` }, 'code');

async function keysOrRefuse(ctx: ServiceContext): Promise<{ ca: SealCa; master: SealMasterKey }> {
  const ca = (await ctx.trust()).sealCa;
  if (!ca) {
    throw new DomainError(
      'keys_unavailable',
      { zh: '电子印章服务尚未配置完成，暂不能盖章，请联系系统管理员', en: 'Electronic seals are not set up yet; ask the system administrator' },
      undefined,
      { operatorHint: 'no seal CA: npm run cli -- keys seal-ca (Workers: keys bundle | wrangler secret put ECERT_KEYS)' },
    );
  }
  const master = await ctx.sealMasterKey?.();
  if (!master) {
    throw new DomainError(
      'keys_unavailable',
      { zh: '电子印章服务尚未配置完成，暂不能盖章，请联系系统管理员', en: 'Electronic seals are not set up yet; ask the system administrator' },
      undefined,
      { operatorHint: 'no seal master key: ECERT_SEAL_MASTER_KEY_FILE (npm run cli -- seal master-key), or the Worker secret ECERT_SEAL_MASTER_KEY' },
    );
  }
  return { ca, master };
}

/** The organisation, checked to be the admin's own office or one below it; the route above it, for the write's condition. */
async function administered(ctx: ServiceContext, actor: Actor, code: string) {
  const tree = await ctx.organisations.tree();
  const org = tree.get(code);
  if (!org || !subtreeOf(tree, actor.orgCode).includes(code)) throw outside(code);
  // Written only while it is still where it was checked: a move out of the admin's subtree meanwhile answers 409.
  return { org, unchanged: ctx.organisations.routeUnchangedStatement(routeFrom(code, tree)) };
}

/** @example const seals = await listSeals(ctx, actor, 'NNZGB'); // newest first, no keys */
export async function listSeals(ctx: ServiceContext, actor: Actor, code: string): Promise<Seal[]> {
  await administered(ctx, actor, code);
  return ctx.seals.list(code);
}

/** The seals of every organisation the admin administers (the console lists them), by organisation code. */
export async function sealsAdministered(ctx: ServiceContext, actor: Actor): Promise<Map<string, Seal[]>> {
  const mine = new Set(subtreeOf(await ctx.organisations.tree(), actor.orgCode));
  const byOrg = new Map<string, Seal[]>();
  for (const seal of await ctx.seals.all()) {
    if (mine.has(seal.orgCode)) byOrg.set(seal.orgCode, [...(byOrg.get(seal.orgCode) ?? []), seal]);
  }
  return byOrg;
}

/**
 * A new key and certificate for `code`, encrypted and stored as its active seal; `replacing` (rotation)
 * retires that seal in the same batch. Refused with 409 when the organisation has an active seal (create)
 * or its active seal changed meanwhile (rotate).
 */
async function makeSeal(ctx: ServiceContext, actor: Actor, code: string, replacing?: Seal): Promise<Seal> {
  const { org, unchanged } = await administered(ctx, actor, code);
  const uscc = await ctx.organisations.uscc(code);
  if (!uscc) {
    throw new DomainError('validation_failed', {
      zh: `请先为 ${org.name} 填写统一社会信用代码：电子印章证书须载明`,
      en: `Enter ${code}'s unified social credit code first: the seal certificate names it`,
    }, 'uscc');
  }
  // A fast answer for the common case; the conditional insert below still decides a race.
  if (!replacing && (await ctx.seals.active(code))) throw alreadySealed(org.name, code);
  const { ca, master } = await keysOrRefuse(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const id = `SEAL${base64url(randomBytes(12))}`;
  const issued = await issueSealCertificate(ca, { code, name: org.name, uscc }, now);
  const sealedKey = await sealPrivateKey(master, issued.pkcs8, { sealId: id, orgCode: code });
  issued.pkcs8.fill(0); // the clear key is not kept a moment longer than needed
  const seal = {
    id, orgCode: code, kid: issued.kid, certificatePem: issued.certPem, uscc,
    notBefore: issued.notBefore.toISOString(), notAfter: issued.notAfter.toISOString(), createdAt: at, createdBy: actor.personId, sealedKey,
  };
  // Rotating, the new seal lands only if this batch retired the old one: never after a revocation meanwhile,
  // and never leaving the organisation without its seal when the tree moved (both writes share the condition).
  const insertIf = replacing ? both(unchanged, ctx.seals.retiredAtStatement(replacing.id, at)) : unchanged;
  const statements: Statement[] = [
    ...(replacing ? [ctx.seals.retireStatement(replacing.id, code, at, unchanged)] : []),
    ctx.seals.insertActiveStatement(seal, insertIf),
    ctx.audit.statement(
      auditOf(actor, at, replacing ? 'seal.rotate' : 'seal.create', `seal:${id}`, { orgCode: code, kid: issued.kid, uscc, ...(replacing ? { retired: replacing.id } : {}) }),
      ctx.seals.existsStatement(id, 'active'),
    ),
  ];
  const results = await ctx.db.batch(statements);
  if (!results[replacing ? 1 : 0]?.changes) {
    throw replacing
      ? new DomainError('conflict', { zh: `${org.name} 的电子印章刚被他人更换或注销，请刷新后重试`, en: `${code}'s seal changed meanwhile; reload and try again` }, 'code')
      : alreadySealed(org.name, code);
  }
  const { sealedKey: _key, ...stored } = seal;
  return { ...stored, status: 'active', retiredAt: null, revokedAt: null, revokedBy: null, revocationReason: null };
}

/** @example const seal = await createSeal(ctx, admin, 'NNZGB'); // 409 when it already has an active seal */
export async function createSeal(ctx: ServiceContext, actor: Actor, code: string): Promise<Seal> {
  return makeSeal(ctx, actor, code);
}

/**
 * A new key and certificate; the old seal is retired, not deleted, so opinions it signed still verify.
 * @example const next = await rotateSeal(ctx, admin, 'NNZGB');
 */
export async function rotateSeal(ctx: ServiceContext, actor: Actor, code: string): Promise<{ seal: Seal; retired: string }> {
  await administered(ctx, actor, code);
  const current = await ctx.seals.active(code);
  if (!current) throw noSeal(code);
  const { sealedKey: _key, ...old } = current;
  return { seal: await makeSeal(ctx, actor, code, old), retired: old.id };
}

const alreadyRevoked = () => new DomainError('already_revoked', { zh: '该电子印章已注销', en: 'This seal is already revoked' }, 'id');

/**
 * Revokes a seal: from this moment it signs nothing (sealSigner no longer finds it). What it signed before
 * stays on record, its signing time within the certificate's validity.
 * @example await revokeSeal(ctx, admin, 'NNZGB', 'SEAL…', '印章私钥可能泄露');
 */
export async function revokeSeal(ctx: ServiceContext, actor: Actor, code: string, id: string, reason: string): Promise<Seal> {
  await administered(ctx, actor, code);
  const seal = await ctx.seals.find(code, id);
  if (!seal) throw new DomainError('not_found', { zh: `${code} 没有电子印章 ${id}`, en: `${code} has no seal ${id}` }, 'id');
  if (seal.status === 'revoked') throw alreadyRevoked();
  const at = ctx.now().toISOString();
  const [revoked] = await ctx.db.batch([
    ctx.seals.revokeStatement(id, code, at, actor.personId, reason),
    // Audited only with this very revocation: a racing second one gets its 409 and writes nothing.
    ctx.audit.statement(auditOf(actor, at, 'seal.revoke', `seal:${id}`, { orgCode: code, kid: seal.kid, reason }), ctx.seals.revokedByStatement(id, at, actor.personId)),
  ]);
  if (!revoked?.changes) throw alreadyRevoked();
  return { ...seal, status: 'revoked', revokedAt: at, revokedBy: actor.personId, revocationReason: reason };
}

/** A seal ready to sign (crypto/caseStatement's signer: non-extractable key, x5c = seal, seal CA, root), with what names it. */
export interface SealSigner extends CaseStatementSigner {
  kid: string;
  sealId: string;
  orgCode: string;
}

/**
 * The active seal of `orgCode`, ready to sign an opinion (issue 16 item 2 calls it). Refused in words —
 * 该单位尚未设置电子印章 — when the organisation has no active seal (none yet, or revoked).
 * @example const { privateKey, x5c } = await sealSigner(ctx, 'NNZGB');
 */
export async function sealSigner(ctx: ServiceContext, orgCode: string): Promise<SealSigner> {
  const seal = await ctx.seals.active(orgCode);
  if (!seal) throw noSeal(orgCode);
  const now = ctx.now();
  if (now < new Date(seal.notBefore) || now > new Date(seal.notAfter)) {
    throw new DomainError('conflict', { zh: '本单位的电子印章证书已过期，暂不能盖章，请联系管理员更换印章', en: "This organisation's seal certificate has expired; ask an administrator to replace the seal" }, 'code');
  }
  const { ca, master } = await keysOrRefuse(ctx);
  // The x5c names the CA that issued it: a seal from a seal CA since replaced must be rotated first.
  const x5c = await sealChain(ca, seal.certificatePem);
  if (!x5c) {
    throw new DomainError('conflict', { zh: '本单位的电子印章需要更换后才能使用，请联系管理员更换印章', en: "This organisation's seal must be replaced before it can be used; ask an administrator" }, 'code', { operatorHint: 'the seal was issued by a seal CA since replaced: rotate it' });
  }
  const privateKey = await openPrivateKey(master, seal.sealedKey, { sealId: seal.id, orgCode });
  return { privateKey, x5c, kid: seal.kid, sealId: seal.id, orgCode };
}

/**
 * The seal an organisation signs with now (its statements, its box on the approval form): `ctx.sealFor` when
 * given (an HSM, a test), else its active seal in the store; undefined when it holds none (what it gives is
 * then kept unsealed, and shown so). One it holds but cannot use (expired, from a replaced seal CA, no master
 * key) refuses in words (sealSigner) — a seal never quietly goes missing.
 * @example const seal = await activeSeal(ctx, 'NNLQ01'); // undefined: no seal
 */
export async function activeSeal(ctx: ServiceContext, orgCode: string): Promise<CaseStatementSigner | undefined> {
  if (ctx.sealFor) return ctx.sealFor(orgCode);
  return (await ctx.seals.active(orgCode)) ? sealSigner(ctx, orgCode) : undefined;
}
