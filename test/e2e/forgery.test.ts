/**
 * Forgery: altered links and tokens — every position of the link proof and proofs swapped between
 * certificates (none gives a verdict or a single fact), every position of a token's signature and many of
 * its header and payload, `alg: none`, HS256 keyed with the public key, an unknown kid, a key outside the
 * chain, a city office key at a senior level. Tokens are planted in the real server's database (as a
 * tampered row would be) and checked by the offline verifier against the pinned root: none is ever valid.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompactSign, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa } from '../../src/crypto/createRootCa.js';
import { createAuthorityCertificate } from '../../src/crypto/createAuthorityCertificate.js';
import { verifyCertificateToken } from '../../src/crypto/jws.js';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;
let db: Database.Database;
let rootPem: string;
const b64url = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Changes one base64url character so the decoded bits change (flip the top bit of its 6-bit value). */
const flip = (ch: string) => ALPHABET[ALPHABET.indexOf(ch) ^ 0b100000]!;

interface Issued {
  number: string;
  verifyUrl: string;
  token: string;
  proof: string;
}

async function issue(body: unknown, token = issuer): Promise<Issued> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Omit<Issued, 'proof'>;
  return { ...created, proof: new URL(created.verifyUrl).searchParams.get('s')! };
}

interface Answer {
  status: string;
  checks: unknown[];
  certificate?: unknown;
  photoUrl?: string;
}

async function answerOf(number: string, proof?: string): Promise<Answer> {
  const url = `${server.baseUrl}/v/${encodeURIComponent(number)}${proof === undefined ? '' : `?s=${encodeURIComponent(proof)}`}`;
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  return (await res.json()) as Answer;
}
const statusOf = async (number: string, proof?: string) => (await answerOf(number, proof)).status;

function authorityKey(code: string): { certPem: string; keyPem: string } {
  const dir = join(server.env.ECERT_KEYS!, 'authorities', code);
  const base = readdirSync(dir).find((f) => f.endsWith('.pem') && !f.endsWith('.key.pem'))!.replace(/\.pem$/, '');
  return { certPem: readFileSync(join(dir, `${base}.pem`), 'utf8'), keyPem: readFileSync(join(dir, `${base}.key.pem`), 'utf8') };
}

const SIGNED_BY_AUTHORITY = new Set(["another certificate's token", 'changed holder, re-signed, kid kept']);
const derOf = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

beforeAll(async () => {
  server = await startServer({ ECERT_LOOKUP_BURST: '100000' }); // hundreds of wrong proofs here; the limit itself is verdicts.test.ts's
  issuer = await server.token('GXZGB', 'issuer');
  db = new Database(server.dbPath);
  rootPem = readFileSync(join(server.env.ECERT_KEYS!, 'root.pem'), 'utf8');
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

describe('forgery', () => {
  it('no altered link is ever valid', async () => {
    const a = await issue(issueBody());
    const b = await issue(issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' }));
    expect(await statusOf(a.number, a.proof)).toBe('valid');
    const links: [string, string][] = [];
    for (let i = 0; i < a.proof.length; i++) {
      for (const replacement of new Set([flip(a.proof[i]!), 'A', '0', '_'])) {
        if (replacement === a.proof[i]) continue;
        links.push([a.number, a.proof.slice(0, i) + replacement + a.proof.slice(i + 1)]);
      }
      links.push([a.number, a.proof.slice(0, i) + a.proof.slice(i + 1)]); // one character dropped
    }
    links.push([a.number, b.proof], [b.number, a.proof], [a.number, a.proof + 'A'], [a.number, a.proof.toUpperCase()], [a.number, ' ' + a.proof]);
    // Altered numbers with the right proof: the check character refuses them, or they do not exist.
    for (let i = 0; i < a.number.length; i++) links.push([a.number.slice(0, i) + (a.number[i] === '7' ? '8' : '7') + a.number.slice(i + 1), a.proof]);
    expect(links.length).toBeGreaterThanOrEqual(100);
    for (const [number, proof] of links) {
      // Never a verdict, and nothing about the certificate: a wrong proof is one sentence, a wrong number 编号有误.
      const answer = await answerOf(number, proof);
      expect(['invalid', 'number_invalid'], `${number}?s=${proof}`).toContain(answer.status);
      expect(answer.certificate, `${number}?s=${proof}`).toBeUndefined();
      expect(answer.photoUrl, `${number}?s=${proof}`).toBeUndefined();
      expect(answer.checks.length, `${number}?s=${proof}`).toBeLessThanOrEqual(1);
    }
  });

  it('no altered or forged token is ever valid, offline or on the server', async () => {
    const a = await issue(issueBody());
    const b = await issue(issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' }));
    const [header, payload, signature] = a.token.split('.') as [string, string, string];
    const forged: [string, string][] = [];
    for (let i = 0; i < signature.length; i++) forged.push([`signature[${i}]`, `${header}.${payload}.${signature.slice(0, i)}${flip(signature[i]!)}${signature.slice(i + 1)}`]);
    for (let i = 0; i < payload.length; i += 3) forged.push([`payload[${i}]`, `${header}.${payload.slice(0, i)}${flip(payload[i]!)}${payload.slice(i + 1)}.${signature}`]);
    for (let i = 0; i < header.length; i += 12) forged.push([`header[${i}]`, `${header.slice(0, i)}${flip(header[i]!)}${header.slice(i + 1)}.${payload}.${signature}`]);
    forged.push(['swapped signature', `${header}.${payload}.${b.token.split('.')[2]}`]);
    forged.push(['another certificate\'s token', b.token]);

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, any>;
    const headerJson = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, any>;
    forged.push(['alg none', `${b64url(JSON.stringify({ ...headerJson, alg: 'none' }))}.${payload}.`]);
    const gx = authorityKey('GXZGB');
    for (const secret of [gx.certPem, derOf(gx.certPem), JSON.stringify(headerJson.x5c)]) {
      const hs = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ ...headerJson, alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
      forged.push(['HS256 keyed with the public key', hs]);
    }
    const gxKey = await importPKCS8(gx.keyPem, 'ES256');
    const sign = (h: Record<string, unknown>, p: Record<string, unknown>, key: CryptoKey) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(p))).setProtectedHeader({ ...headerJson, ...h, alg: 'ES256' }).sign(key);
    forged.push(['unknown kid', await sign({ kid: 'kid-nobody-published-0000000000000000000000' }, claims, gxKey)]);
    forged.push(['changed holder, re-signed, kid kept', await sign({}, { ...claims, holder: { ...claims.holder, name: '王五' } }, gxKey)]);

    // A complete chain of our own: a root nobody pinned, an authority under it claiming to be GXZGB.
    const rogueRoot = await createRootCa({ commonName: '职称电子证书根证书 Title e-certificate Root CA', validYears: 30 });
    const rogue = await createAuthorityCertificate({ root: rogueRoot, code: 'GXZGB', name: '广西壮族自治区职称改革工作领导小组办公室', levels: ['senior_full', 'senior_associate', 'intermediate', 'assistant', 'junior'], validYears: 10 });
    const rogueKey = await importPKCS8(rogue.keyPem, 'ES256');
    forged.push(['key outside the chain', await sign({ kid: rogue.kid, x5c: [derOf(rogue.certPem), derOf(rogueRoot.certPem)] }, claims, rogueKey)]);
    forged.push(['outside key, our x5c', await sign({}, claims, rogueKey)]);

    // The city office is in the chain but may not confirm senior titles (notice 二(一)).
    const nn = authorityKey('NNZGB');
    const nnKey = await importPKCS8(nn.keyPem, 'ES256');
    const nnX5c = [derOf(nn.certPem), derOf(rootPem)];
    const { calculateJwkThumbprint, exportJWK, importX509 } = await import('jose');
    const nnKid = await calculateJwkThumbprint(await exportJWK(await importX509(nn.certPem, 'ES256', { extractable: true })));
    forged.push(['city office at a senior level', await sign({ kid: nnKid, x5c: nnX5c }, claims, nnKey)]);
    forged.push(['city office key, GXZGB kid', await sign({ x5c: nnX5c }, claims, nnKey)]);

    expect(forged.length).toBeGreaterThanOrEqual(400);
    const plant = db.prepare('UPDATE certificates SET token = ? WHERE number = ?');
    let checked = 0;
    for (const [label, token] of forged) {
      const offline = await verifyCertificateToken(token, { rootPem });
      const onServer = (plant.run(token, a.number), await statusOf(a.number, a.proof));
      // Two entries are signed with the authority's own key: sound tokens, but not this certificate's record.
      if (!SIGNED_BY_AUTHORITY.has(label)) expect(offline.valid, label).toBe(false);
      expect(onServer, label).toBe('invalid');
      checked++;
    }
    plant.run(a.token, a.number);
    expect(await statusOf(a.number, a.proof)).toBe('valid');
    expect(checked).toBe(forged.length);
  });

  it('a row edited behind the service no longer matches its signature', async () => {
    const a = await issue(issueBody());
    db.prepare("UPDATE certificates SET holder_name = '王五' WHERE number = ?").run(a.number);
    expect(await statusOf(a.number, a.proof)).toBe('invalid');
    db.prepare("UPDATE certificates SET holder_name = '张三丰', level = 'senior_full' WHERE number = ?").run(a.number);
    expect(await statusOf(a.number, a.proof)).toBe('invalid');
  });
});
