/**
 * Verdicts nobody can misread (issue 12, part A): a link without its proof shows no verdict; a wrong proof
 * says one sentence and nothing else; a mistyped number says 编号有误; the employer's page says when it
 * checked (China time), who issued the certificate, what to do, and folds the technical checks; dates are
 * China dates; English only on the English page; the demo root is announced on every answer; the photo with
 * the QR proof; a browser's 404 is a page. Last, one limiter for every unproven request — typed links,
 * wrong proofs, lookups by API and by page, photo and token — while a right proof is never limited.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { openLookupForm } from '../support/lookupForm.js';
import { startServer, type RunningServer } from '../support/server.js';

const BURST = 30;
let server: RunningServer;
let realKeys: RunningServer;
let issuer: string;
let withPhoto: Issued;
/** A second certificate (李四), for a proof that belongs to another certificate. */
let other: Issued;
let onRealKeys: Issued;

interface Issued {
  number: string;
  verifyUrl: string;
  pdfUrl: string;
  proof: string;
}

interface Answer {
  status: string;
  statusText: { zh: string; en: string };
  message: { zh: string; en: string };
  checkedAt: string;
  demo: boolean;
  demoNotice?: { zh: string; en: string };
  checks: { name: string; ok: boolean | null; message: { zh: string; en: string } }[];
  certificate?: { holder: { name: string }; authority: { name: string }; revocation?: { at: string } };
  photoUrl?: string;
}

async function issue(target: RunningServer, token: string, body: unknown): Promise<Issued> {
  const res = await fetch(`${target.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  const created = (await res.json()) as Omit<Issued, 'proof'>;
  return { ...created, proof: new URL(created.verifyUrl).searchParams.get('s')! };
}

const get = (url: string, accept: 'json' | 'html', headers: Record<string, string> = {}) =>
  fetch(url.startsWith('http') ? url : `${server.baseUrl}${url}`, { headers: { Accept: accept === 'json' ? 'application/json' : 'text/html', ...headers } });
const json = async (url: string, headers: Record<string, string> = {}) => {
  const res = await get(url, 'json', headers);
  return { status: res.status, body: (await res.json()) as Answer };
};
const html = async (url: string, headers: Record<string, string> = {}) => {
  const res = await get(url, 'html', headers);
  return { status: res.status, text: await res.text(), res };
};
/** The page's main content as text (tags dropped, entities of quotes restored). */
const mainText = (page: string) =>
  (/<main[^>]*>([\s\S]*)<\/main>/.exec(page)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
/** The same answer for two different things: equal but for when it was checked. */
const sameAnswer = (a: Answer, b: Answer) => expect({ ...a, checkedAt: 'x' }).toEqual({ ...b, checkedAt: 'x' });
/** A valid number never issued, and a number whose check character is wrong. */
const NEVER_ISSUED = '26AAAAAAAAB';
const mistype = (n: string) => n.slice(0, 10) + (n[10] === '7' ? '8' : '7');

beforeAll(async () => {
  // The second server runs on keys made here, not the public demo root: it must not say DEMO.
  const keys = join(mkdtempSync(join(tmpdir(), 'ecert-real-keys-')), 'keys');
  const [demo, real] = await Promise.all([
    startServer({ ECERT_TEST_CLOCK: '1', ECERT_LOOKUP_BURST: String(BURST), ECERT_LOOKUP_REFILL_SECONDS: '3600' }),
    (async () => {
      const { ROOT } = await import('../support/server.js');
      const { spawnSync } = await import('node:child_process');
      const cli = (args: string[]) => spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(cli(['keys', 'init', '--dir', keys]).status).toBe(0);
      const add = cli(['authority', 'add', '--dir', keys, '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--levels', 'senior_full,senior_associate,intermediate,assistant,junior']);
      expect(add.status, add.stderr).toBe(0);
      return startServer({ ECERT_KEYS: keys });
    })(),
  ]);
  server = demo;
  realKeys = real;
  issuer = await server.token('GXZGB', 'issuer');
  withPhoto = await issue(server, issuer, issueBody());
  other = await issue(server, issuer, issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' }));
  onRealKeys = await issue(realKeys, await realKeys.token('GXZGB', 'issuer'), issueBody());
});
afterAll(async () => {
  await server?.stop();
  await realKeys?.stop();
});

describe('a link without its proof (A1)', () => {
  it('answers proof_required and nothing else, the same for an issued and a never-issued number', async () => {
    const issued = await json(`/v/${withPhoto.number}`);
    const never = await json(`/v/${NEVER_ISSUED}`);
    expect(issued.status).toBe(200);
    expect(never.status).toBe(200);
    expect(issued.body).toMatchObject({ status: 'proof_required', checks: [] });
    expect(issued.body.certificate).toBeUndefined();
    expect(issued.body.photoUrl).toBeUndefined();
    expect(JSON.stringify(issued.body)).not.toMatch(/"(valid|revoked|not_found)"|张三丰|GXZGB|广西/);
    sameAnswer(issued.body, never.body);
  });

  it('shows the lookup form with the number filled in, asks for the name and explains the QR code; no verdict', async () => {
    const { status, text } = await html(`/v/${withPhoto.number}`);
    expect(status).toBe(200);
    expect(text).toMatch(new RegExp(`<input name="number"[^>]*value="${withPhoto.number.slice(0, 4)}-${withPhoto.number.slice(4, 8)}-${withPhoto.number.slice(8)}"`));
    expect(text).toMatch(/<input name="name"[^>]*value=""/);
    expect(text).toContain('action="/verify"');
    const words = mainText(text);
    expect(words).toContain('二维码');
    expect(words).toContain('持证人姓名');
    for (const verdict of ['有效', '已撤销', '无效', '不存在', '张三丰']) expect(words).not.toContain(verdict);
    expect(text).not.toContain('role="status"');
  });
});

describe('a wrong proof (A2)', () => {
  it('is invalid in one sentence, with no facts, the same whether or not the number was issued', async () => {
    const wrong = await json(`/v/${withPhoto.number}?s=${other.proof}`);
    const never = await json(`/v/${NEVER_ISSUED}?s=${withPhoto.proof}`);
    expect(wrong.status).toBe(200);
    expect(never.status).toBe(200);
    expect(wrong.body.status).toBe('invalid');
    expect(wrong.body.message.zh).toContain('二维码凭证与证书不符，可能被篡改');
    expect(wrong.body.message.zh).toMatch(/请.*(原件|查询)/); // and what to do next
    expect(wrong.body.checks).toEqual([]);
    expect(wrong.body.certificate).toBeUndefined();
    expect(JSON.stringify(wrong.body)).not.toMatch(/张三丰|GXZGB|广西|撤销|级|Revoked/);
    sameAnswer(wrong.body, never.body);

    const page = mainText((await html(`/v/${withPhoto.number}?s=${other.proof}`)).text);
    expect(page).toContain('无效');
    expect(page).toContain('二维码凭证与证书不符，可能被篡改');
    for (const fact of ['张三丰', '广西', 'GXZGB', '撤销日期', '技术细节', '核验步骤']) expect(page).not.toContain(fact);
  });
});

describe('a mistyped number (A4)', () => {
  it('says 编号有误 on /v, in the lookup API and on /verify — checked before the name, never 不存在', async () => {
    const typo = mistype(withPhoto.number);
    for (const url of [`/v/${typo}`, `/v/${typo}?s=${withPhoto.proof}`]) {
      const answer = await json(url);
      expect(answer.status, url).toBe(422);
      expect(answer.body.status, url).toBe('number_invalid');
      expect(answer.body.statusText.zh).toBe('编号有误');
      const page = await html(url);
      expect(page.status).toBe(422);
      expect(page.text).toMatch(/role="alert"[\s\S]*编号有误/);
      expect(page.text).toContain(`value="${typo}"`); // as typed: a wrong number is not regrouped
    }
    const api = await fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: typo, name: '张三丰' }) });
    expect(api.status).toBe(422);
    expect(((await api.json()) as Answer).status).toBe('number_invalid');
    const form = await openLookupForm(server.baseUrl);
    const page = await form.post(typo, '某某某'); // a wrong name too: the number is judged first
    expect(page.status).toBe(422);
    const text = await page.text();
    expect(text).toMatch(/role="alert"[\s\S]*编号有误/);
    expect(mainText(text)).not.toContain('不存在');
  });
});

describe("the employer's page (A4)", () => {
  it('says when it checked (China time), who issued it and what it means, with the technical checks folded away', async () => {
    const at = '2026-03-18T16:30:00Z'; // 00:30 on 19 March in China
    const answer = await json(withPhoto.verifyUrl, { 'X-Ecert-Test-Now': at });
    expect(answer.body.status).toBe('valid');
    expect(answer.body.checkedAt).toBe('2026-03-19T00:30:00+08:00');
    expect(answer.body.message.zh).toContain('广西壮族自治区职称改革工作领导小组办公室');
    const { text } = await html(withPhoto.verifyUrl, { 'X-Ecert-Test-Now': at });
    const words = mainText(text);
    expect(words).toContain('核验时间：2026年3月19日 00:30（北京时间）');
    expect(words).toContain('发证机构');
    expect(words).toContain('广西壮族自治区职称改革工作领导小组办公室');
    expect(text).toMatch(/<details class="tech"><summary>技术细节<\/summary>[\s\S]*签名有效[\s\S]*<\/details>/);
    expect(text).not.toMatch(/<details[^>]*\sopen/);
    expect(text).toContain('/authorities/GXZGB');
  });

  it('speaks English only on the English page, Chinese only on the Chinese one (names and data aside)', async () => {
    const en = mainText((await html(withPhoto.verifyUrl, { Cookie: 'ecert_lang=en' })).text);
    expect(en).toContain('Valid');
    expect(en).toContain('Checked: ');
    expect(en).toContain('Technical details');
    const data = ['张三丰', '高级工程师', '工程技术', '电气工程', '湖南省工程技术高级职务评审委员会', '广西壮族自治区职称改革工作领导小组办公室', '桂职办〔2026〕15号'];
    const left = data.sort((a, b) => b.length - a.length).reduce((text, d) => text.split(d).join(''), en);
    expect(left).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);

    const zh = mainText((await html(withPhoto.verifyUrl)).text);
    for (const english of ['Valid', 'Certificate', 'Checks', 'Verify offline', 'not indexed', 'DEMO']) expect(zh).not.toContain(english);
  });

  it('tells the demo root on every answer and page, and not on real keys', async () => {
    for (const url of [withPhoto.verifyUrl, `/v/${withPhoto.number}`, `/v/${withPhoto.number}?s=${other.proof}`]) {
      const answer = await json(url);
      expect(answer.body.demo, url).toBe(true);
      expect(answer.body.demoNotice?.zh).toContain('演示');
      expect((await html(url)).text).toMatch(/class="demo"[^>]*>[^<]*演示/);
    }
    expect((await html('/verify')).text).toMatch(/class="demo"[^>]*>[^<]*演示/);
    expect((await html(withPhoto.verifyUrl, { Cookie: 'ecert_lang=en' })).text).toMatch(/class="demo"[^>]*>DEMO/);

    const answer = (await (await fetch(onRealKeys.verifyUrl, { headers: { Accept: 'application/json' } })).json()) as Answer;
    expect(answer.status).toBe('valid');
    expect(answer.demo).toBe(false);
    expect(answer.demoNotice).toBeUndefined();
    const page = await (await fetch(onRealKeys.verifyUrl)).text();
    expect(page).not.toContain('class="demo"');
    expect(page).not.toContain('演示');
  });

  it('dates a revocation at 23:30 UTC on the next China day, on the page and in JSON (A3)', async () => {
    const created = await issue(server, issuer, issueBody());
    const utcDay = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10); // tomorrow, after the issuance
    const chinaDay = new Date(Date.parse(`${utcDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const [y, m, d] = chinaDay.split('-').map(Number);
    const revoke = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json', 'X-Ecert-Test-Now': `${utcDay}T23:30:00Z` },
      body: JSON.stringify({ reason: 'issued_in_error' }),
    });
    expect(revoke.status).toBe(200);
    const answer = (await json(created.verifyUrl)).body;
    expect(answer.status).toBe('revoked');
    expect(answer.certificate?.revocation?.at).toBe(`${utcDay}T23:30:00.000Z`);
    expect(answer.message.zh).toContain(`${y}年${m}月${d}日`);
    expect(answer.message.en).toContain(chinaDay);
    const check = answer.checks.find((c) => c.name === 'not_revoked')!;
    expect(check.message.zh).toContain(`${y}年${m}月${d}日`);
    expect(check.message.en).toContain(chinaDay);
    expect(JSON.stringify(answer.message) + JSON.stringify(check.message)).not.toContain(utcDay);
    expect(mainText((await html(created.verifyUrl)).text)).toContain(`撤销日期：${y}年${m}月${d}日`);
    expect(mainText((await html(created.verifyUrl, { Cookie: 'ecert_lang=en' })).text)).toContain(`Revoked on: ${chinaDay}`);
  });

  it('shows the photo of a certificate (A5) — every one has a photo since issue 13 item 6 (二(三)1(4))', async () => {
    const withOne = await json(withPhoto.verifyUrl);
    expect(withOne.body.photoUrl).toBe(`/v/${withPhoto.number}/photo?s=${withPhoto.proof}`);
    const photo = await fetch(`${server.baseUrl}${withOne.body.photoUrl}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect((await html(withPhoto.verifyUrl)).text).toContain(`<img class="photo" src="/v/${withPhoto.number}/photo?s=${withPhoto.proof}"`);
  });
});

describe('an address that does not exist (A6)', () => {
  it('is a page for a browser, with its language, title, heading and a way home; problem+json for the API', async () => {
    const page = await get('/no/such/page', 'html');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const text = await page.text();
    expect(text).toContain('<html lang="zh-CN">');
    expect(text).toMatch(/<title>页面不存在[^<]*<\/title>/);
    expect(text).toMatch(/<h1>页面不存在<\/h1>/);
    expect(text).toContain('<a href="/verify">');
    const en = await (await get('/no/such/page', 'html', { Cookie: 'ecert_lang=en' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toMatch(/<h1>Page not found<\/h1>/);

    for (const [path, accept] of [['/api/v1/no-such', 'html'], ['/no/such/page', 'json']] as const) {
      const res = await get(path, accept);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    }
  });
});

describe('one limiter for every unproven request (A2)', () => {
  it('dozens of clients at once: past the burst every kind of unproven request gets 429, a right proof still answers', async () => {
    // Spend whatever is left of the burst with typed links and wrong proofs, all at once.
    const hammer = Array.from({ length: BURST + 30 }, (_, i) =>
      i % 3 === 0 ? get(`/v/${withPhoto.number}`, 'json') : i % 3 === 1 ? get(`/v/${withPhoto.number}?s=${other.proof}`, 'json') : get(`/v/${NEVER_ISSUED}?s=x${i}`, 'html'),
    );
    const answers = await Promise.all(hammer);
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.length - limited.length).toBeLessThanOrEqual(BURST);
    expect(limited.length).toBeGreaterThanOrEqual(30);
    for (const res of limited) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);

    // Now every kind of request without the right proof is refused — one bucket, not one per route.
    const form = await openLookupForm(server.baseUrl);
    const kinds: [string, Promise<Response>][] = [
      ['typed link, JSON', get(`/v/${other.number}`, 'json')],
      ['typed link, page', get(`/v/${other.number}`, 'html')],
      ['wrong proof', get(`/v/${other.number}?s=${withPhoto.proof}`, 'json')],
      ['mistyped number', get(`/v/${mistype(other.number)}`, 'json')],
      ['lookup API', fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: withPhoto.number, name: '张三丰' }) })],
      ['lookup page', form.post(withPhoto.number, '张三丰')],
      ['photo, wrong proof', get(`/v/${withPhoto.number}/photo?s=${other.proof}`, 'json')],
      ['token, wrong proof', get(`/v/${withPhoto.number}/token?s=${other.proof}`, 'json')],
    ];
    for (const [kind, pending] of kinds) {
      const res = await pending;
      expect(res.status, kind).toBe(429);
      expect(Number(res.headers.get('retry-after')), kind).toBeGreaterThan(0);
      if (kind.endsWith('page')) expect(await res.text(), kind).toMatch(/查询过于频繁，请 \d+ 秒后再试/);
      else expect(((await res.json()) as { code: string }).code, kind).toBe('rate_limited');
    }

    // The holder's QR link is never limited, however many come at once.
    const proven = await Promise.all([
      ...Array.from({ length: 30 }, () => get(withPhoto.verifyUrl, 'json')),
      ...Array.from({ length: 10 }, () => get(withPhoto.verifyUrl, 'html')),
      ...Array.from({ length: 5 }, () => get(`/v/${withPhoto.number}/photo?s=${withPhoto.proof}`, 'json')),
      ...Array.from({ length: 5 }, () => get(`/v/${withPhoto.number}/token?s=${withPhoto.proof}`, 'json')),
    ]);
    for (const res of proven) expect(res.status).toBe(200);
    expect(((await proven[0]!.json()) as Answer).status).toBe('valid');
    expect(await proven[30]!.text()).toContain('有效');
  });
});
