/**
 * services/verifyCertificate holderPhoto on a real SQLite file and its blob directory (issue 15 review): the
 * holder's photo is hashed once on the way out, and that one check is against the SIGNED hash (the token's
 * photoSha256) — a row pointed at another certificate's real, intact photo is never served.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/services/context.js';
import { issueCertificate } from '../../src/services/issueCertificate.js';
import { holderPhoto } from '../../src/services/verifyCertificate.js';
import { issueBody } from '../support/fixtures.js';
import { tempDir } from '../storage/repoSupport.js';
import { makeContext, type TestContext } from './support.js';

const issuer: Actor = { orgCode: 'GXZGB', role: 'issuer', tokenId: 't', personId: 'P', personName: '签发员' };
const temp = tempDir('photo');
let t: TestContext;
let signed: { number: string; linkProof: string };
let other: { number: string };

beforeAll(async () => {
  t = await makeContext({ path: join(temp.dir, 'ecert.db') });
  signed = (await issueCertificate(t.ctx, issuer, issueBody() as never)).certificate;
  // Another certificate with another real photo (PNG): its file is in the store, whole.
  const body = issueBody({ idNumber: '450103198501010026', gender: 'female' });
  const png = `data:image/png;base64,${readFileSync(join(import.meta.dirname, '../fixtures/photo.png')).toString('base64')}`;
  other = (await issueCertificate(t.ctx, issuer, { ...body, holder: { ...body.holder, photo: png } } as never)).certificate;
});
afterAll(() => {
  t.close();
  temp.cleanup();
});

const photoRow = (number: string) => t.db.prepare('SELECT photo_sha256 AS sha, photo_length AS length FROM certificates WHERE number = ?').get(number) as { sha: string; length: number };

describe("the holder's photo on the way out", () => {
  it('is hashed once, against the signed hash', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    try {
      const { photo } = await holderPhoto(t.ctx, signed.number, signed.linkProof);
      expect(photo?.bytes.length).toBe(photoRow(signed.number).length);
      const ofPhoto = digest.mock.calls.filter(([, data]) => (data as ArrayBufferView).byteLength === photo!.bytes.length);
      expect(ofPhoto).toHaveLength(1);
    } finally {
      digest.mockRestore();
    }
  });

  it('is not served when the row names another real, intact photo (the token signed another hash)', async () => {
    const mine = photoRow(signed.number);
    const theirs = photoRow(other.number);
    expect(theirs.sha).not.toBe(mine.sha);
    t.db.prepare('UPDATE certificates SET photo_sha256 = ?, photo_length = ? WHERE number = ?').run(theirs.sha, theirs.length, signed.number);
    try {
      expect(await holderPhoto(t.ctx, signed.number, signed.linkProof)).toEqual({ proof: true });
    } finally {
      t.db.prepare('UPDATE certificates SET photo_sha256 = ?, photo_length = ? WHERE number = ?').run(mine.sha, mine.length, signed.number);
    }
    expect((await holderPhoto(t.ctx, signed.number, signed.linkProof)).photo).toBeDefined();
  });
});
