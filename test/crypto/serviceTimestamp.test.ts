/**
 * The service's timestamp on a statement (issue 16 item 4): the service key signs {digest, at}; a verifier holding
 * only the root checks it, and refuses an authority's key, another root, a changed time and hostile input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createServiceCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { loadLogSigner, type LogSigner } from '../../src/crypto/logHead.js';
import { SERVICE_TIMESTAMP_TYPE, signServiceTimestamp, verifyServiceTimestamp } from '../../src/crypto/serviceTimestamp.js';
import { makeChain, type Chain } from './fixtures.js';

let chain: Chain;
let service: LogSigner;
const DIGEST = 'ab'.repeat(32);
const AT = new Date().toISOString();

beforeAll(async () => {
  chain = await makeChain();
  const made = await createServiceCertificate({ root: chain.root, validYears: 10 });
  service = await loadLogSigner(made, { rootPem: chain.root.certPem });
});

describe('service timestamps', () => {
  it('verifies against the root and gives back the digest and time', async () => {
    expect(await verifyServiceTimestamp(await signServiceTimestamp(DIGEST, AT, service), { rootPem: chain.root.certPem })).toEqual({ valid: true, digest: DIGEST, at: AT });
  });

  it('refuses a changed time, an authority key, another root, and hostile input — never throwing', async () => {
    const jws = await signServiceTimestamp(DIGEST, AT, service);
    const [h, , s] = jws.split('.');
    const moved = `${h}.${Buffer.from(JSON.stringify({ at: '2020-01-01T00:00:00.000Z', digest: DIGEST })).toString('base64url')}.${s}`;
    const authority = await signServiceTimestamp(DIGEST, AT, { ...service, privateKey: chain.gxzgb.privateKey!, x5c: chain.gxzgb.x5c });
    const other = await makeChain();
    const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    for (const bad of [moved, authority, '', 'a.b.c', 'x'.repeat(50_000), `${b64({ alg: 'none', typ: SERVICE_TIMESTAMP_TYPE })}.${b64({ digest: DIGEST, at: AT })}.`, `${b64({ alg: 'ES256', typ: SERVICE_TIMESTAMP_TYPE, x5c: ['AA'] })}.${b64({ digest: DIGEST, at: 'soon' })}.${'A'.repeat(86)}`]) {
      expect((await verifyServiceTimestamp(bad, { rootPem: chain.root.certPem })).valid, bad.slice(0, 30)).toBe(false);
    }
    expect((await verifyServiceTimestamp(jws, { rootPem: other.root.certPem })).valid).toBe(false);
  });
});
