/**
 * Issue 17 item 3 on the real server: the holder downloads their certificate as an SD-JWT VC
 * (application/dc+sd-jwt); without `disclose=idNumber` the full ID number is nowhere in it, with it exactly one
 * disclosure holds it; the CLI verifies it against our JWKS and prints the disclosed claims; an independent
 * check (the JWKS key in Web Crypto, SHA-256 of each disclosure recomputed by hand) agrees; revocation shows
 * through its status; a share link shows the full ID number only when the holder ticked it; another person, staff and a wrong token get 403/401/404, never a 500.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { addHolder as addHolderOf, issueAs } from '../support/holders.js';
import { startServer, type RunningServer } from '../support/server.js';
import { signInCookie } from '../support/session.js';
import { client, json, setUpWorkflow, type Person, type Staff } from '../support/workflow.js';

const ID_A = '450102198005120019';
const ID_B = '11010519491231002X';

let server: RunningServer;
let staff: Staff;
let issuer: string;
let holderA: Person;
let holderB: Person;
let certA: string;
let dir: string;

const issue = (body: ReturnType<typeof issueBody>) => issueAs(server, issuer, body);

const addHolder = (name: string, idNumber: string) => addHolderOf(server, staff.admin, name, idNumber);

const download = (token: string | null, number: string, query = '') =>
  fetch(`${server.baseUrl}/api/v1/holder/certificates/${encodeURIComponent(number)}/sd-jwt${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

const b64u = (s: string) => Buffer.from(s, 'base64url');
const disclosuresOf = (sdJwt: string) => sdJwt.split('~').slice(1).filter(Boolean);

/** An independent check: Web Crypto with the JWKS key, and each disclosure's SHA-256 found in the signed `_sd`. */
async function independentCheck(sdJwt: string): Promise<Record<string, unknown>> {
  const [jwt, ...rest] = sdJwt.split('~');
  const [h, p, s] = jwt!.split('.') as [string, string, string];
  const header = JSON.parse(b64u(h).toString('utf8'));
  expect(header).toMatchObject({ alg: 'ES256', typ: 'dc+sd-jwt' });
  const jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
  const jwk = jwks.keys.find((k) => k['kid'] === header.kid)!;
  expect(jwk).toBeDefined();
  const key = await crypto.subtle.importKey('jwk', { kty: jwk['kty'], crv: jwk['crv'], x: jwk['x'], y: jwk['y'] }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, b64u(s), new TextEncoder().encode(`${h}.${p}`))).toBe(true);
  const payload = JSON.parse(b64u(p).toString('utf8')) as Record<string, unknown> & { _sd: string[]; _sd_alg: string };
  expect(payload._sd_alg).toBe('sha-256');
  const shown: Record<string, unknown> = {};
  for (const d of rest.filter(Boolean)) {
    expect(payload._sd).toContain(createHash('sha256').update(d, 'ascii').digest('base64url'));
    const [, name, value] = JSON.parse(b64u(d).toString('utf8')) as [string, string, unknown];
    shown[name] = value;
  }
  return { ...payload, ...shown };
}

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  issuer = await server.token('GXZGB', 'issuer');
  holderA = await addHolder('张三丰', ID_A);
  holderB = await addHolder('李秀英', ID_B);
  certA = await issue(issueBody({ name: '张三丰', idNumber: ID_A }));
  await issue(issueBody({ name: '李秀英', idNumber: ID_B, gender: 'female' }));
  dir = mkdtempSync(join(tmpdir(), 'sdjwt-'));
}, 240_000);
afterAll(async () => server?.stop());

describe('issue 17 item 3: the holder’s SD-JWT VC', () => {
  it('by default the full ID number is nowhere in it; every fact is a disclosure; the CLI and an independent check verify it', async () => {
    const res = await download(holderA.token, certA);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/dc+sd-jwt');
    const sdJwt = await res.text();
    expect(sdJwt).not.toContain(ID_A);
    for (const d of disclosuresOf(sdJwt)) expect(b64u(d).toString('utf8')).not.toContain(ID_A);
    expect(b64u(sdJwt.split('.')[1]!).toString('utf8')).not.toContain(ID_A);
    const claims = await independentCheck(sdJwt);
    expect(claims).toMatchObject({ vct: `${server.baseUrl}/vct/professional-title/v1`, iss: `${server.baseUrl}/authorities/GXZGB`, certificate_number: certA, name: '张三丰' });
    expect(claims['id_number']).toBeUndefined();
    const entries = (claims['status'] as { bitstring_status_list_entry: { statusPurpose: string; statusListCredential: string }[] }).bitstring_status_list_entry;
    expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'message']);
    expect(entries[0]!.statusListCredential).toContain('/status/GXZGB/revocation');
    expect(entries[1]!.statusListCredential).toContain('/status/GXZGB/message');

    const file = join(dir, 'a.sd-jwt');
    writeFileSync(file, sdJwt);
    const trust = join(server.env.ECERT_KEYS!, 'root.pem');
    const out = await server.cli(['verify-sd-jwt', file, '--jwks', `${server.baseUrl}/.well-known/jwks.json`, '--trust', trust]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('✓ signature');
    expect(out.stdout).toContain('✓ status_list');
    expect(out.stdout).toContain('✓ message_list: 状态：有效'); // issue 19 item 3: the 2-bit state, in words
    expect(out.stdout).toContain('name: 张三丰');
    expect(out.stdout).not.toContain(ID_A);
  });

  it('with disclose=idNumber exactly one disclosure holds the full number; a forged disclosure fails the CLI', async () => {
    const sdJwt = await (await download(holderA.token, certA, '?disclose=idNumber')).text();
    const holding = disclosuresOf(sdJwt).filter((d) => b64u(d).toString('utf8').includes(ID_A));
    expect(holding).toHaveLength(1);
    expect((await independentCheck(sdJwt))['id_number']).toBe(ID_A);
    const file = join(dir, 'b.sd-jwt');
    writeFileSync(file, sdJwt);
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).text());
    const good = await server.cli(['verify-sd-jwt', file, '--jwks', jwksFile]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(`id_number: ${ID_A}`);

    const forged = sdJwt.replace(holding[0]!, Buffer.from(b64u(holding[0]!).toString('utf8').replace(ID_A, '450102198005129999')).toString('base64url'));
    writeFileSync(file, forged);
    const bad = await server.cli(['verify-sd-jwt', file, '--jwks', jwksFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ signature');
  });

  it('revocation shows through its status', async () => {
    const number = await issue(issueBody({ name: '张三丰', idNumber: ID_A }));
    const file = join(dir, 'r.sd-jwt');
    writeFileSync(file, await (await download(holderA.token, number)).text());
    const revoked = await fetch(`${server.baseUrl}/api/v1/certificates/${number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '测试撤销' }),
    });
    expect(revoked.status).toBe(200);
    const out = await server.cli(['verify-sd-jwt', file, '--jwks', `${server.baseUrl}/.well-known/jwks.json`, '--trust', join(server.env.ECERT_KEYS!, 'root.pem')]);
    expect(out.code, out.stdout).toBe(1);
    expect(out.stdout).toContain('✗ status_list');
    expect(out.stdout).toContain('✗ message_list: 状态：已撤销');
  });

  it('another holder, staff, no token and a wrong token get 404/403/401 in both languages; a bad disclose is 422', async () => {
    const expectProblem = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { message: { zh: string; en: string } };
      expect(body.message.zh).toMatch(/\p{Script=Han}/u);
      expect(body.message.en).toMatch(/[a-z]{3}/);
    };
    await expectProblem(await download(holderB.token, certA, '?disclose=idNumber'), 404);
    await expectProblem(await download(issuer, certA), 403);
    await expectProblem(await download(staff.admin.token, certA), 403);
    await expectProblem(await download(null, certA), 401);
    await expectProblem(await download('ect_' + 'x'.repeat(43), certA), 401);
    await expectProblem(await download(holderA.token, certA, '?disclose=photo'), 422);
    await expectProblem(await download(holderA.token, '%00%ff'), 404);
  });

  it('a share link shows the full ID number only when the holder ticked it (JSON, page, console form)', async () => {
    const make = (disclose?: unknown) =>
      fetch(`${server.baseUrl}/api/v1/holder/shares`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${holderA.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ certificateNumber: certA, purpose: '应聘', days: 7, ...(disclose === undefined ? {} : { disclose }) }),
      });
    const plain = await json(await make());
    const full = await json(await make({ idNumber: true }));
    expect((await make({ idNumber: 'yes' })).status).toBe(422);
    for (const [link, shows] of [[plain.url, false], [full.url, true]] as const) {
      const answer = await fetch(link, { headers: { Accept: 'application/json' } });
      expect(answer.status).toBe(200);
      const text = await answer.text();
      const page = await (await fetch(link, { headers: { Accept: 'text/html' } })).text();
      expect(text.includes(ID_A), link).toBe(shows);
      expect(page.includes(ID_A), link).toBe(shows);
      expect(text).toContain('4501**');
    }
    const list = await json(await fetch(`${server.baseUrl}/api/v1/holder/shares`, { headers: { Authorization: `Bearer ${holderA.token}` } }));
    const byId = Object.fromEntries(list.items.map((i: { id: string; disclose: { idNumber: boolean } }) => [i.id, i.disclose.idNumber]));
    expect(byId[plain.id]).toBe(false);
    expect(byId[full.id]).toBe(true);
    expect(JSON.stringify(list)).not.toContain(ID_A);
    const console_ = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: await signInCookie(server.baseUrl, holderA.token) } })).text();
    expect(console_).toContain('name="discloseIdNumber"');
    expect(console_).toContain('显示完整证件号码');
  });

  it('the console downloads it with the session: the full number only with idNumber=yes; another holder gets 404, anonymous goes to sign in', async () => {
    const cookieA = await signInCookie(server.baseUrl, holderA.token);
    const page = await (await fetch(`${server.baseUrl}/console/my`, { headers: { Cookie: cookieA } })).text();
    expect(page).toContain(`/console/my/sd-jwt/${certA}`);
    const plain = await fetch(`${server.baseUrl}/console/my/sd-jwt/${certA}`, { headers: { Cookie: cookieA } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toContain('application/dc+sd-jwt');
    expect(plain.headers.get('content-disposition')).toContain('attachment');
    expect(await plain.text()).not.toContain(ID_A);
    const full = await (await fetch(`${server.baseUrl}/console/my/sd-jwt/${certA}?idNumber=yes`, { headers: { Cookie: cookieA } })).text();
    expect((await independentCheck(full))['id_number']).toBe(ID_A);
    const cookieB = await signInCookie(server.baseUrl, holderB.token);
    const other = await fetch(`${server.baseUrl}/console/my/sd-jwt/${certA}?idNumber=yes`, { headers: { Cookie: cookieB } });
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain(ID_A);
    const anonymous = await fetch(`${server.baseUrl}/console/my/sd-jwt/${certA}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });
});
