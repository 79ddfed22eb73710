/**
 * @module services/certificateReads
 * Plain reads of issued certificates for HTTP (the stored record, the stored PDF), so HTTP never reaches
 * into storage. Who may read what is decided by the caller's route (findOwn, the case's own certificate).
 */
import type { ServiceContext } from './context.js';

/** @example const stored = await certificateByNumber(ctx, '26K7Q2M9XHT'); // undefined when unknown */
export function certificateByNumber(ctx: Pick<ServiceContext, 'certificates'>, number: string) {
  return ctx.certificates.findByNumber(number);
}

/** @example const bytes = await certificatePdf(ctx, '26K7Q2M9XHT'); // undefined when unknown */
export function certificatePdf(ctx: Pick<ServiceContext, 'certificates'>, number: string): Promise<Uint8Array | undefined> {
  return ctx.certificates.pdf(number);
}
