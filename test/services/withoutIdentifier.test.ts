/**
 * Certificates without a 电子证照标识 (issue 19 item 1): those issued before migration 0020, and those of a
 * deployment that configures no type code on real keys. Issued that way (a trust store that is not the demo
 * root, no ECERT_LICENCE_TYPE_CODE), a certificate has no identifier anywhere, still verifies by number (its
 * token and its row agree), and its metadata says null where the identifier's parts would be.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { verifyByLink } from '../../src/services/verifyCertificate.js';
import { certificateMetadata } from '../../src/services/licenceMetadata.js';
import { DEMO_AUTHORITY_USCCS } from '../../src/domain/licenceIdentifier.js';
import { issueBody } from '../support/fixtures.js';
import { tempDir } from '../storage/repoSupport.js';
import { makeContext, type TestContext } from './support.js';

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };
const temp = tempDir('no-identifier');
let t: TestContext;

beforeAll(async () => {
  t = await makeContext({ path: join(temp.dir, 'ecert.db') });
  const demoTrust = t.ctx.trust;
  // The same keys, seen as a real deployment's: no demo type code applies, and none is configured.
  t.ctx.trust = async () => Object.assign(Object.create(await demoTrust()), { isDemo: false });
});
afterAll(() => {
  t.close();
  temp.cleanup();
});

describe('a certificate without an identifier', () => {
  it('is issued without one, verifies by number, and its metadata has null identifier, type code and version', async () => {
    const { certificate } = await issueCertificate(t.ctx, issuer, issueBody() as never);
    expect(certificate.identifier).toBeUndefined();
    expect(JSON.parse(Buffer.from(certificate.token.split('.')[1]!, 'base64url').toString())).not.toHaveProperty('identifier');
    const stored = await t.ctx.certificates.findByNumber(certificate.number);
    expect(stored).not.toHaveProperty('identifier');

    const v = await verifyByLink(t.ctx, certificate.number, certificate.linkProof);
    expect(v.status).toBe('valid');
    expect(v.certificate).not.toHaveProperty('identifier');

    const metadata = await certificateMetadata(t.ctx, issuer, certificate.number);
    expect(metadata).toMatchObject({ identifier: null, licenceType: { code: null }, version: null, issuer: { code: DEMO_AUTHORITY_USCCS.GXZGB } });
  });
});
