/**
 * What the public side gives away, and to whom: facts only with the QR link proof (or, in the lookup, the
 * holder's name); the photo only if it is the one the authority signed; no 500 for any typed address; no
 * answer that tells another authority which numbers exist.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;
let created: { number: string; verifyUrl: string };
let proof: string;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { authorization: `bearer ${issuer}`, 'Content-Type': 'application/json; charset=utf-8' }, // scheme is case-insensitive
    body: JSON.stringify(issueBody()),
  });
  expect(res.status).toBe(201);
  created = (await res.json()) as typeof created;
  proof = new URL(created.verifyUrl).searchParams.get('s')!;
});
afterAll(async () => server?.stop());

const json = async (path: string) => {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { Accept: 'Application/JSON' } });
  return { status: res.status, body: (await res.json()) as { status: string; certificate?: { holder: { name: string } }; photoUrl?: string } };
};

describe('disclosure', () => {
  it('shows the facts only with the link proof', async () => {
    const withProof = await json(`/v/${created.number}?s=${proof}`);
    expect(withProof.body.certificate?.holder.name).toBe('张三丰');
    const bare = await json(`/v/${created.number}`);
    expect(bare.body.status).toBe('valid');
    expect(bare.body.certificate).toBeUndefined();
    const wrong = await json(`/v/${created.number}?s=${proof.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`);
    expect(wrong.body.status).toBe('invalid');
    expect(wrong.body.certificate).toBeUndefined();
    const page = await (await fetch(`${server.baseUrl}/v/${created.number}`)).text();
    expect(page).not.toContain('张三丰');
    expect(page).toContain('仅显示证书状态');
  });

  it('answers every odd address with a 4xx page, never a 500', async () => {
    for (const path of ['garbage', '26AAAAAAAAA', '%00', '%E2%80%AE', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(40), '%F0%9F%98%80']) {
      for (const accept of ['text/html', 'application/json']) {
        const res = await fetch(`${server.baseUrl}/v/${path}`, { headers: { Accept: accept } });
        expect(res.status, `${accept} /v/${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${accept} /v/${path}`).toBeLessThan(500);
      }
    }
  });

  it('never serves a photo other than the one signed', async () => {
    const photoUrl = `${server.baseUrl}/v/${created.number}/photo?s=${proof}`;
    expect((await fetch(photoUrl)).status).toBe(200);
    const db = new Database(server.dbPath);
    db.prepare('UPDATE certificates SET photo = ? WHERE number = ?').run(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), created.number);
    db.close();
    expect((await fetch(photoUrl)).status).toBe(404);
  });

  it('tells another authority nothing about numbers that are not its own', async () => {
    const city = await server.token('NNZGB', 'issuer');
    const revoke = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'other' }),
    });
    const absent = await fetch(`${server.baseUrl}/api/v1/certificates/26AAAAAAAAA/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'other' }),
    });
    expect(revoke.status).toBe(404);
    expect(absent.status).toBe(404);
    const anonymousPdf = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/pdf`);
    const anonymousMissing = await fetch(`${server.baseUrl}/api/v1/certificates/26AAAAAAAAA/pdf`);
    expect(anonymousPdf.status).toBe(401);
    expect(anonymousMissing.status).toBe(401);
  });

  it('folds spacing and number case in the lookup, refuses zero-width characters', async () => {
    const decomposed = await fetch(`${server.baseUrl}/api/v1/lookup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ number: created.number.toLowerCase(), name: ' 张三丰 ' }),
    });
    expect(decomposed.status).toBe(200);
    const zeroWidth = await fetch(`${server.baseUrl}/api/v1/lookup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ number: created.number, name: '张\u200b三丰' }),
    });
    expect(zeroWidth.status).toBe(422);
  });
});
