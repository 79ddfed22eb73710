/**
 * What the public side gives away, and to whom: facts only with the QR link proof (or, in the lookup, the
 * holder's name); the photo only if it is the one the authority signed; no 500 for any typed address, proof
 * or lookup, however hostile (a browser gets a page in words); no answer that tells another authority which
 * numbers exist.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';
import { openLookupForm } from '../support/lookupForm.js';

let server: RunningServer;
let issuer: string;
let created: { number: string; verifyUrl: string };
let proof: string;

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: '100000' }); // the limit itself is verdicts.test.ts's
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
    expect(bare.body.status).toBe('proof_required');
    expect(bare.body.certificate).toBeUndefined();
    const wrong = await json(`/v/${created.number}?s=${proof.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`);
    expect(wrong.body.status).toBe('invalid');
    expect(wrong.body.certificate).toBeUndefined();
    const page = await (await fetch(`${server.baseUrl}/v/${created.number}`)).text();
    expect(page).not.toContain('张三丰');
    expect(page).not.toContain('有效');
    expect(page).toContain('此链接没有二维码凭证');
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

  it('answers hostile numbers, proofs and lookups from dozens of clients at once without a 500; a browser gets words', async () => {
    const hostile = [
      'x'.repeat(3000), '%00%01%02', '%7F', '%0D%0ASet-Cookie:%20a=b', '%E2%80%AE' + created.number, '%E2%80%8B' + created.number, created.number + '%00',
      '%EF%BC%92%EF%BC%96', '%F0%9F%98%80'.repeat(50), '%', '%E0%A4%A', '%C0%AF', '<script>alert(1)<%2Fscript>', '%22%3E%3Cimg%20src=x%3E', created.number.toLowerCase(),
    ];
    const proofs = [undefined, '', proof.slice(1), 'A'.repeat(2000), '%00', '%E2%80%AE' + proof, '%F0%9F%98%80', proof + '%0A'];
    const requests: { label: string; accept: string; url: string }[] = [];
    for (const number of [...hostile, created.number]) {
      for (const s of proofs) {
        for (const accept of ['text/html', 'application/json']) requests.push({ label: `${accept} ${number.slice(0, 40)} s=${s?.slice(0, 20)}`, accept, url: `${server.baseUrl}/v/${number}${s === undefined ? '' : `?s=${s}`}` });
      }
    }
    const answers = await Promise.all(requests.map(async (r) => ({ ...r, res: await fetch(r.url, { headers: { Accept: r.accept } }) })));
    for (const { label, accept, res } of answers) {
      expect(res.status, label).toBeLessThan(500);
      const body = await res.text();
      if (res.status === 404) continue; // a path with a slash in it is some other address
      if (accept === 'text/html') {
        expect(res.headers.get('content-type'), label).toContain('text/html');
        expect(body, label).not.toContain('<script>alert');
        expect(body, label).not.toContain('<img src=x>');
      } else {
        const status = (JSON.parse(body) as { status: string }).status;
        expect(['proof_required', 'invalid', 'number_invalid'], label).toContain(status);
      }
    }

    const lookups = [
      { number: 'x'.repeat(40), name: '张三丰' }, { number: '\u0000\u0001', name: '张三丰' }, { number: created.number, name: '张'.repeat(50) },
      { number: created.number, name: '\u202e张三丰' }, { number: created.number, name: '😀' }, { number: created.number, name: 'Robert\'); DROP TABLE certificates;--' },
      { number: `\u202e${created.number}`, name: '张三丰' }, { number: 42, name: ['张三丰'] }, { number: created.number }, { number: created.number, name: '张三丰', extra: 1 },
    ];
    const lookupAnswers = await Promise.all(
      lookups.map((body) => fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })),
    );
    for (const [i, res] of lookupAnswers.entries()) {
      expect(res.status, JSON.stringify(lookups[i])).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(lookups[i])).toBeLessThan(500);
    }

    const form = await openLookupForm(server.baseUrl);
    const typed: [string, string][] = [
      ['x'.repeat(5000), '张三丰'], ['\u0000\u0007', '\u0000'], [created.number, '\u202e张三丰'], [`<script>alert(1)</script>`, '<img src=x>'],
      [created.number, '😀'.repeat(100)], ['', ''], [created.number, ' 张三丰 '], [`\u200b${created.number}`, '张三丰'], [created.number.slice(0, 10), '张三丰'],
    ];
    const pages = await Promise.all(typed.map(([number, name]) => form.post(number, name)));
    for (const [i, res] of pages.entries()) {
      const body = await res.text();
      expect(res.status, JSON.stringify(typed[i])).toBeLessThan(500);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x>');
    }
    expect(pages[6]!.status).toBe(200); // spaces around the name are folded: the real holder is found
  });

  it('never serves a photo other than the one signed', async () => {
    const photoUrl = `${server.baseUrl}/v/${created.number}/photo?s=${proof}`;
    const signed = await fetch(photoUrl);
    expect(signed.status).toBe(200);
    const signedBytes = new Uint8Array(await signed.arrayBuffer());
    // Another certificate with another real photo: its file is in the store (directory or R2) on both runtimes.
    const png = `data:image/png;base64,${readFileSync(join(ROOT, 'test/fixtures/photo.png')).toString('base64')}`;
    const body = issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' });
    const second = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, holder: { ...body.holder, photo: png } }),
    });
    expect(second.status, await second.clone().text()).toBe(201);
    const secondNumber = ((await second.json()) as { number: string }).number;
    const db = new Database(server.dbPath);
    const rowOf = (number: string) => db.prepare('SELECT photo_sha256 AS sha, photo_length AS length FROM certificates WHERE number = ?').get(number) as { sha: string; length: number };
    const row = rowOf(created.number);
    const other = rowOf(secondNumber);
    expect(other.sha).not.toBe(row.sha);
    const fileOf = (sha: string) => join(`${server.dbPath}.blobs`, sha.slice(0, 2), sha.slice(2, 4), sha);
    try {
      // A consistent swap: the row pointed at the other photo's file (row and file agree; the signed token does not).
      db.prepare('UPDATE certificates SET photo_sha256 = ?, photo_length = ? WHERE number = ?').run(other.sha, other.length, created.number);
      expect((await fetch(photoUrl)).status).toBe(404);
      db.prepare('UPDATE certificates SET photo_sha256 = ?, photo_length = ? WHERE number = ?').run(row.sha, row.length, created.number);
      if (server.target === 'node') {
        // The signed photo's own file edited in place: never served either.
        const altered = Buffer.from(signedBytes);
        altered[altered.length >> 1]! ^= 0x01;
        writeFileSync(fileOf(row.sha), altered);
        const served = await fetch(photoUrl);
        expect(served.status).not.toBe(200);
        expect(served.status).toBeLessThan(600);
        writeFileSync(fileOf(row.sha), signedBytes);
      }
      // A row from before the blob store (bytes in the row): another photo there is refused as before.
      db.prepare('UPDATE certificates SET photo_sha256 = NULL, photo_length = NULL, photo = ? WHERE number = ?').run(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), created.number);
      expect((await fetch(photoUrl)).status).toBe(404);
    } finally {
      if (server.target === 'node') writeFileSync(fileOf(row.sha), signedBytes);
      db.prepare('UPDATE certificates SET photo_sha256 = ?, photo_length = ?, photo = NULL WHERE number = ?').run(row.sha, row.length, created.number);
      db.close();
    }
    expect(Array.from(new Uint8Array(await (await fetch(photoUrl)).arrayBuffer()))).toEqual(Array.from(signedBytes));
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
