/**
 * Issue 19 item 2 against a real SQLite file: a correction of a certificate issued without a 电子证照标识 (before
 * migration 0020, or real keys without a type code) still works — the new version takes a fresh serial, version
 * 001, and links back by its predecessor column; the old row is kept as it was, marked superseded.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { certificateVersions, correctCertificate } from '../../src/services/correctCertificate.js';
import { verifyByLink } from '../../src/services/verifyCertificate.js';
import { parseLicenceIdentifier } from '../../src/domain/licenceIdentifier.js';
import { issueBody } from '../support/fixtures.js';
import { tempDir } from '../storage/repoSupport.js';
import { makeContext, type TestContext } from './support.js';

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };
const temp = tempDir('corrections');
let t: TestContext;

beforeAll(async () => {
  t = await makeContext({ path: join(temp.dir, 'ecert.db') });
});
afterAll(() => {
  t.close();
  temp.cleanup();
});

describe('a correction of a certificate without an identifier', () => {
  it('gives the new version a fresh serial at version 001, linked back; the old one is superseded, unchanged', async () => {
    const demoTrust = t.ctx.trust;
    t.ctx.trust = async () => Object.assign(Object.create(await demoTrust()), { isDemo: false }); // issued as before identifiers
    const { certificate: old } = await issueCertificate(t.ctx, issuer, issueBody() as never);
    t.ctx.trust = demoTrust;
    expect(old.identifier).toBeUndefined();

    const { certificate: next } = await correctCertificate(t.ctx, issuer, old.number, { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业名称有误' });
    const parsed = parseLicenceIdentifier(next.identifier!);
    expect(parsed.ok && parsed.parts.version).toBe('001');
    expect(next.predecessor).toBe(old.number);
    const stored = await t.ctx.certificates.findByNumber(old.number);
    expect(stored).toMatchObject({ status: 'superseded', supersession: { successor: next.number }, title: { specialty: '电气工程' }, token: old.token });
    expect((await certificateVersions(t.ctx, stored!)).map((v) => v.number)).toEqual([old.number, next.number]);
    expect((await verifyByLink(t.ctx, old.number, old.linkProof)).status).toBe('superseded');
    expect((await verifyByLink(t.ctx, next.number, next.linkProof)).status).toBe('valid');
    // The old photo is carried over: the new token signs the same photo hash.
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims(next.token).photoSha256).toBe(claims(old.token).photoSha256);
  });
});

describe('a revocation that loses the race to a correction', () => {
  it('says the certificate was corrected and names the current version, never "already revoked"', async () => {
    const { revokeCertificate } = await import('../../src/services/revokeCertificate.js');
    const { certificate: old } = await issueCertificate(t.ctx, issuer, issueBody() as never);
    // The revocation reads the certificate while still valid; the correction lands before its write.
    const stale = await t.ctx.certificates.findByNumber(old.number);
    const { certificate: next } = await correctCertificate(t.ctx, issuer, old.number, { title: { series: 'engineering', name: '高级工程师', specialty: '电力系统' }, reason: '专业名称有误' });
    const findByNumber = t.ctx.certificates.findByNumber.bind(t.ctx.certificates);
    let reads = 0;
    t.ctx.certificates.findByNumber = async (n: string) => (reads++ === 0 ? stale : findByNumber(n));
    try {
      const refused = await revokeCertificate(t.ctx, issuer, old.number, { reason: 'false_materials', note: '' }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'conflict', details: { current: next.number } });
      expect((refused as Error).message).not.toContain('already');
    } finally {
      t.ctx.certificates.findByNumber = findByNumber;
    }
    expect((await t.ctx.certificates.findByNumber(next.number))?.status).toBe('valid');
  });
});
