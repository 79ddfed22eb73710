/**
 * End to end on the real server: mint through the API → fetch the PDF → render it at 100 dpi → decode the
 * QR with zbarimg → GET the decoded URL → valid → revoke → revoked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

let server: RunningServer;
let issuer: string;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
});
afterAll(async () => server?.stop());

async function issue(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('issue → PDF → QR → verify → revoke', () => {
  it('works end to end', async () => {
    const res = await issue(issueBody());
    expect(res.status).toBe(201);
    const created = (await res.json()) as { number: string; verifyUrl: string; pdfUrl: string; token: string };
    expect(created.verifyUrl).toMatch(new RegExp(`^${server.baseUrl}/v/${created.number}\\?s=[A-Za-z0-9_-]{22}$`));
    expect(created.token.split('.')).toHaveLength(3);

    // The answer's pdfUrl opens as given: it carries the link proof, no token needed.
    expect(created.pdfUrl).toBe(`${server.baseUrl}/api/v1/certificates/${created.number}/pdf?s=${new URL(created.verifyUrl).searchParams.get('s')}`);
    const pdfRes = await fetch(created.pdfUrl);
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await pdfRes.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'ecert-pdf-'));
    writeFileSync(join(dir, 'c.pdf'), pdf);

    // The PDF signs itself (PAdES), on either runtime: poppler's pdfsig, knowing nothing of us, says so.
    const signature = execFileSync('pdfsig', [join(dir, 'c.pdf')], { encoding: 'utf8' });
    expect(signature).toContain('Signature is Valid');
    expect(signature).toContain('Signer Certificate Common Name: 广西壮族自治区职称改革工作领导小组办公室');

    const text = execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    for (const expected of ['张三丰', '高级工程师', '电气工程', '2015年12月30日', '桂职办〔2026〕15号']) expect(text).toContain(expected);

    execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', join(dir, 'c.pdf'), join(dir, 'page')]);
    const png = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const decoded = execFileSync('zbarimg', ['--raw', '-q', join(dir, png)], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(created.verifyUrl);

    const valid = await fetch(decoded, { headers: { Accept: 'application/json' } });
    expect(valid.status).toBe(200);
    expect(valid.headers.get('cache-control')).toBe('private, no-store');
    const v = (await valid.json()) as { status: string; checks: { name: string; ok: boolean | null }[]; photoUrl?: string; certificate: { holder: { idNumberMasked: string } } };
    expect(v.status).toBe('valid');
    expect(v.checks.filter((c) => c.ok === false)).toEqual([]);
    expect(v.checks.find((c) => c.name === 'link_proof')?.ok).toBe(true);
    expect(v.certificate.holder.idNumberMasked).not.toContain('198005');
    expect(v.photoUrl).toBeTruthy();
    const photo = await fetch(`${server.baseUrl}${v.photoUrl}`);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');

    const html = await fetch(decoded);
    const page = await html.text();
    expect(page).toContain('有效');
    expect(page).toContain('noindex');
    expect(page).not.toContain('450102198005120019');

    const revoke = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'issued_in_error', note: '发文号录入错误' }),
    });
    expect(revoke.status).toBe(200);
    const after = (await (await fetch(decoded, { headers: { Accept: 'application/json' } })).json()) as { status: string; certificate: { revocation: { reason: string } } };
    expect(after.status).toBe('revoked');
    expect(after.certificate.revocation.reason).toBe('issued_in_error');
    expect(await (await fetch(decoded)).text()).toContain('已撤销');

    const again = await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}/revocation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'other' }),
    });
    expect(again.status).toBe(409);

    // The offline verifier reads the token out of the PDF alone and checks it against the root.
    const offline = await server.cli(['verify', join(dir, 'c.pdf'), '--trust', join(server.env.ECERT_KEYS!, 'root.pem')]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain('VALID');
  });

  it('without the QR proof gives no verdict and no photo; a wrong proof is invalid; a mistyped number says so', async () => {
    const created = (await (await issue(issueBody())).json()) as { number: string; verifyUrl: string };
    const typed = await fetch(`${server.baseUrl}/v/${created.number}`, { headers: { Accept: 'application/json' } });
    expect(typed.status).toBe(200);
    const typedBody = (await typed.json()) as { status: string; photoUrl?: string; checks: unknown[] };
    expect(typedBody).toMatchObject({ status: 'proof_required', checks: [] });
    expect(typedBody.photoUrl).toBeUndefined();
    const wrong = (await (await fetch(`${server.baseUrl}/v/${created.number}?s=AAAAAAAAAAAAAAAAAAAAAA`, { headers: { Accept: 'application/json' } })).json()) as { status: string };
    expect(wrong.status).toBe('invalid');
    const unknown = await fetch(`${server.baseUrl}/v/26AAAAAAAAB`, { headers: { Accept: 'application/json' } }); // well formed, never issued
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as { status: string }).status).toBe('proof_required');
    const mistyped = await fetch(`${server.baseUrl}/v/26AAAAAAAAA`, { headers: { Accept: 'application/json' } }); // wrong check character
    expect(mistyped.status).toBe(422);
    expect(((await mistyped.json()) as { status: string }).status).toBe('number_invalid');
  });

  it('50 concurrent requests with one Idempotency-Key make exactly one certificate', async () => {
    const db = new Database(server.dbPath, { readonly: true });
    const before = (db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;
    const body = issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => issue(body, { 'Idempotency-Key': 'batch-2026-0001' })));
    const numbers = new Set<string>();
    for (const res of responses) {
      expect([200, 201]).toContain(res.status);
      numbers.add(((await res.json()) as { number: string }).number);
    }
    expect(numbers.size).toBe(1);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const after = (db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;
    expect(after - before).toBe(1);
    const conflict = await issue({ ...body, title: { ...body.title, specialty: '机械工程' } }, { 'Idempotency-Key': 'batch-2026-0001' });
    expect(conflict.status).toBe(422);
    expect(((await conflict.json()) as { code: string }).code).toBe('idempotency_conflict');
    db.close();
  });

  it('the typed lookup needs number and name, and is rate limited', async () => {
    const created = (await (await issue(issueBody({ name: '王小明' }))).json()) as { number: string };
    const ask = (name: string) =>
      fetch(`${server.baseUrl}/api/v1/lookup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ number: created.number, name }) });
    const hit = await ask('王小明');
    expect(hit.status).toBe(200);
    expect(((await hit.json()) as { status: string }).status).toBe('valid');
    const miss = await ask('王大明');
    expect(miss.status).toBe(404);
    let limited: Response | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await ask('王小明');
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
  });

  it('publishes keys, root, catalog, health and the OpenAPI document', async () => {
    const jwks = (await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string; x5c: string[] }[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of jwks.keys) expect(key.x5c.length).toBeGreaterThanOrEqual(2);
    const root = await (await fetch(`${server.baseUrl}/.well-known/ecert-root.pem`)).text();
    expect(root).toBe(readFileSync(join(server.env.ECERT_KEYS!, 'root.pem'), 'utf8'));
    const catalog = (await (await fetch(`${server.baseUrl}/api/v1/catalog/series`)).json()) as { code: string; name: string; titles: { name: string; level: string }[] }[];
    expect(catalog.find((s) => s.name === '工程技术')?.titles).toContainEqual({ name: '高级工程师', level: 'senior_associate' });
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const openapi = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/v1/certificates', '/v/{number}', '/api/v1/lookup']));
    expect((await fetch(`${server.baseUrl}/docs`)).status).toBe(200);
  });

  it('refuses a level the authority certificate does not allow', async () => {
    const city = await server.token('NNZGB', 'issuer');
    const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(issueBody()),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('level_not_authorised');
    const intermediate = issueBody();
    intermediate.title.name = '工程师';
    const ok = await fetch(`${server.baseUrl}/api/v1/certificates`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${city}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(intermediate),
    });
    expect(ok.status).toBe(201);
  });

  it('renders a rare-name certificate and refuses a character no font can draw', async () => {
    const rare = await issue(issueBody({ name: '䶮堃喆玥赟彧珺燊𠮷' }));
    expect(rare.status).toBe(201);
    const bad = await issue(issueBody({ name: '张\u{30000}' })); // CJK Extension G: in no font we ship
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { code: string; field: string };
    expect(problem).toMatchObject({ code: 'undrawable_character', field: 'holder.name' });
  });
});

describe('every certificate states its basis and carries the photo (issue 13 item 6)', () => {
  type Problem = { code: string; field: string; message: { zh: string; en: string } };

  it('refuses a direct issuance without the holder’s photo in words (二(三)1(4)) — it used to print an empty 照片 box', async () => {
    const res = await issue(issueBody({ photo: false }));
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({ code: 'validation_failed', field: 'holder.photo' });
    expect(problem.message.zh).toContain('缺少持证人照片');
    expect(problem.message.zh).toContain('二(三)1(4)');
    expect(problem.message.en).toContain('photo');
  });

  it('refuses a direct issuance without a basis, or with a future, false or empty one, naming the field', async () => {
    const { basis: _basis, ...withoutBasis } = issueBody();
    const cases: [string, unknown, string, string][] = [
      ['no basis', withoutBasis, 'basis', 'validation_failed'],
      ['a future decision', { ...issueBody(), basis: { ...issueBody().basis, decidedOn: '2099-01-01' } }, 'basis.decidedOn', 'future_date'],
      ['no such date', { ...issueBody(), basis: { ...issueBody().basis, decidedOn: '2026-02-30' } }, 'basis.decidedOn', 'validation_failed'],
      ['an empty reason', { ...issueBody(), basis: { ...issueBody().basis, reason: '   ' } }, 'basis.reason', 'validation_failed'],
      ['a reason of 501 characters', { ...issueBody(), basis: { ...issueBody().basis, reason: '补'.repeat(501) } }, 'basis.reason', 'validation_failed'],
      ['an empty decision number', { ...issueBody(), basis: { ...issueBody().basis, decisionNumber: '' } }, 'basis.decisionNumber', 'validation_failed'],
      ['a case id from outside', { ...issueBody(), basis: { caseId: 'RC20261128-7KQ2M9XH' } }, 'basis', 'validation_failed'],
    ];
    for (const [label, body, field, code] of cases) {
      const res = await issue(body);
      expect(res.status, label).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.code, label).toBe(code);
      expect(problem.field.startsWith(field), `${label}: ${problem.field}`).toBe(true);
      expect(problem.message.zh, label).toMatch(/\p{Script=Han}/u);
    }
  });

  it('records the decision: the audit row, the issuer’s record, the verification answer and page (without the reason)', async () => {
    const body = issueBody({ name: '赵敏', idNumber: '450103198605050022', gender: 'female' });
    body.basis = { decisionNumber: '桂职办〔2019〕7号', decidedOn: '2019-06-30', reason: '2019年经确认的职称，系统上线前已发纸质文件，补发电子证书' };
    const created = (await (await issue(body)).json()) as { number: string; verifyUrl: string };

    const record = (await (await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { basis: unknown; hasPhoto: boolean };
    expect(record.basis).toEqual({ kind: 'decision', ...body.basis });
    expect(record.hasPhoto).toBe(true);

    const auditor = await server.token('GXZGB', 'auditor');
    const trail = (await (await fetch(`${server.baseUrl}/api/v1/audit?subject=certificate:${created.number}`, { headers: { Authorization: `Bearer ${auditor}` } })).json()) as { items: { action: string; detail: { basis: unknown } }[] };
    expect(trail.items[0]).toMatchObject({ action: 'certificate.issue', detail: { basis: { kind: 'decision', ...body.basis } } });

    const answer = (await (await fetch(created.verifyUrl, { headers: { Accept: 'application/json' } })).json()) as { certificate: { basis: unknown } };
    expect(answer.certificate.basis).toEqual({
      kind: 'decision',
      kindName: { zh: '确认机构决定直接颁发（不经重新确认程序）', en: "Issued directly by the confirming authority's decision (no reconfirmation case)" },
      decisionNumber: '桂职办〔2019〕7号',
      decidedOn: '2019-06-30',
    });
    const page = await (await fetch(created.verifyUrl)).text();
    expect(page).toContain('签发依据');
    expect(page).toContain('确认机构决定直接颁发（不经重新确认程序）：桂职办〔2019〕7号（2019年6月30日）');
    expect(page).not.toContain('系统上线前');
    // Without the holder's proof nothing is said, the basis neither.
    const typed = await (await fetch(`${server.baseUrl}/v/${created.number}`)).text();
    expect(typed).not.toContain('桂职办〔2019〕7号');
  });

  it('says 未记录 for a certificate issued before the basis was recorded — and it still verifies', async () => {
    const created = (await (await issue(issueBody({ name: '钱七', idNumber: '450103198501010026', gender: 'female' }))).json()) as { number: string; verifyUrl: string };
    const db = new Database(server.dbPath);
    try {
      // As a row from before migration 0013 reads: the basis columns empty (they are not signed).
      db.prepare('UPDATE certificates SET basis_kind = NULL, basis_decision_number = NULL, basis_decided_on = NULL, basis_reason = NULL WHERE number = ?').run(created.number);
    } finally {
      db.close();
    }
    const answer = (await (await fetch(created.verifyUrl, { headers: { Accept: 'application/json' } })).json()) as { status: string; certificate: { basis: unknown } };
    expect(answer.status).toBe('valid');
    expect(answer.certificate.basis).toEqual({ kind: 'unrecorded', kindName: { zh: '未记录', en: 'Not recorded' } });
    expect(await (await fetch(created.verifyUrl)).text()).toMatch(/签发依据<\/h2>\s*<p class="basis">未记录<\/p>/);
    const record = (await (await fetch(`${server.baseUrl}/api/v1/certificates/${created.number}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { basis?: unknown };
    expect(record.basis).toBeUndefined();
  });
});
