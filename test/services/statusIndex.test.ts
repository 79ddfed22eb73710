/**
 * Issue 7: two certificates' places in a status list are never neighbours, by construction: the claim of an
 * index is one UPDATE that refuses a taken index and both its neighbours, so even racing requests cannot
 * land side by side. And the bitstring puts index 0 in the first byte's most significant bit (W3C).
 */
import { describe, expect, it } from 'vitest';
import { bitstring, isSet, STATUS_LIST_SIZE } from '../../src/domain/statusList.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import type { Actor } from '../../src/services/context.js';
import { issueBody } from '../support/fixtures.js';
import { makeContext } from './support.js';

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };

describe('status-list indexes', () => {
  it('refuses a taken index and both its neighbours, in the same statement', async () => {
    const t = await makeContext();
    try {
      const [a, b] = [
        (await issueCertificate(t.ctx, issuer, issueBody() as never)).certificate.number,
        (await issueCertificate(t.ctx, issuer, issueBody({ idNumber: '450103198501010026', gender: 'female' }) as never)).certificate.number,
      ];
      const cap = 32_768;
      expect(await t.ctx.certificates.claimStatusIndex(a, 'GXZGB', 1, 100, cap)).toBe(true);
      for (const neighbour of [99, 100, 101]) expect(await t.ctx.certificates.claimStatusIndex(b, 'GXZGB', 1, neighbour, cap), String(neighbour)).toBe(false);
      expect(await t.ctx.certificates.claimStatusIndex(a, 'GXZGB', 1, 5000, cap)).toBe(false); // a certificate keeps its place
      expect(await t.ctx.certificates.claimStatusIndex(b, 'GXZGB', 1, 102, cap)).toBe(true);
      expect(await t.ctx.certificates.statusPlace(a)).toEqual({ list: 1, index: 100 });
      expect(await t.ctx.certificates.statusPlace(b)).toEqual({ list: 1, index: 102 });
    } finally {
      t.close();
    }
  });

  it('bit 0 is the most significant bit of the first byte; the list is 16 KiB', () => {
    const bits = bitstring([0, 9, STATUS_LIST_SIZE - 1]);
    expect(bits.length).toBe(16_384);
    expect([bits[0], bits[1], bits[16_383]]).toEqual([0x80, 0x40, 0x01]);
    expect([isSet(bits, 0), isSet(bits, 1), isSet(bits, 9), isSet(bits, STATUS_LIST_SIZE - 1)]).toEqual([true, false, true, true]);
    expect(() => bitstring([STATUS_LIST_SIZE])).toThrow(RangeError);
  });
});
