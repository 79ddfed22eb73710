/**
 * @module services/health
 * Readiness for `/healthz`: the service is ready when the database answers, takes a write now (a one-row
 * probe that never grows it; after a write was refused for lack of space, one as large as that write), the
 * keys load, and at least one issuing authority is in the trust store. Anything else is not ready, with the
 * reason in words.
 */
import { DomainError } from '../domain/errors.js';
import type { ServiceContext } from './context.js';

export interface Readiness {
  authorities: number;
  /** Present while chain heads are due but could not be signed: writes go on, the heads are signed later. */
  heads?: { owed: number; failedAt?: string; message: { zh: string; en: string } };
}

/**
 * @example const { authorities } = await readiness(ctx); // throws DomainError (storage_full, busy, keys_unavailable) when not ready
 */
export async function readiness(ctx: Pick<ServiceContext, 'db' | 'trust' | 'now' | 'blobs'>): Promise<Readiness> {
  try {
    await ctx.db.first('SELECT 1 AS ok');
    await ctx.db.chain.probe(ctx.now().toISOString());
    await ctx.blobs?.probe?.(); // the blob store too: a full disk there refuses uploads (issue 15, C12)
  } catch (error) {
    if (error instanceof DomainError) throw error; // storage_full, busy: already in words
    throw new DomainError('busy', { zh: '数据库不可用', en: 'The database is unavailable' });
  }
  const trust = await ctx.trust();
  if (trust.authorities.length === 0) {
    throw new DomainError('keys_unavailable', {
      zh: '信任库中没有签发机构，不能签发证书：请先运行 npm run cli -- authority add',
      en: 'The trust store holds no issuing authority, so nothing can be issued: run npm run cli -- authority add first',
    });
  }
  // A head signer that fails never makes the service unready (writes go on): it is reported beside "ok".
  const signing = ctx.db.chain.headSigning();
  if (signing.owed === 0) return { authorities: trust.authorities.length };
  const heads = {
    owed: signing.owed,
    // When, not why: the error (a path, a key file's name) goes to the operator's log, not to this public probe.
    ...(signing.failure ? { failedAt: signing.failure.at } : {}),
    message: {
      zh: `有 ${signing.owed} 个签名链头未能签名（服务密钥不可用或签名失败），记录照常写入，密钥恢复后补签；补签前 log check 会报告缺少链头`,
      en: `${signing.owed} chain heads could not be signed (the service key is unavailable or signing failed); records are still written and the heads are signed once the key works — until then log check reports them missing`,
    },
  };
  return { authorities: trust.authorities.length, heads };
}
