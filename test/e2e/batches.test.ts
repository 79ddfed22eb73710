/**
 * Issue 18 items 1–2 on the real server (Node and wrangler dev): a batch sheet uploaded as CSV or .xlsx, each row
 * checked with the single issuance's rules and words, photos as a ZIP named by ID number, the template and
 * errors.xlsx read back with the same library, hostile files, credentials, and many uploads at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { readSheet } from 'read-excel-file/universal';
import writeXlsxFile from 'write-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PATHS = ['holder.name', 'holder.gender', 'holder.idType', 'holder.idNumber', 'title.series', 'title.name', 'title.specialty', 'original.acquiredOn', 'original.method', 'original.evaluatingBody', 'original.certificateNumber', 'decision.number', 'decision.decidedOn', 'basis.decisionNumber', 'basis.decidedOn', 'basis.reason'];
const PHOTO = new Uint8Array(readFileSync(join(ROOT, 'test/fixtures/photo.jpg')));

let server: RunningServer;
let issuer: string;

beforeAll(async () => {
  server = await startServer();
  issuer = await server.token('GXZGB', 'issuer');
});
afterAll(async () => server?.stop());

/** A resident ID number with its real check digit (GB 11643). */
function idNumber(base17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return base17 + '10X98765432'[sum % 11]!;
}

type Body = ReturnType<typeof issueBody>;
/** A single issuance's body as a sheet row, in PATHS order. */
function rowOf(body: Body): string[] {
  return PATHS.map((path) => {
    const [group, field] = path.split('.') as [keyof Body, string];
    return String((body[group] as Record<string, unknown>)[field] ?? '');
  });
}
const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const csvOf = (header: string[], rows: string[][]) => `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** `token` null: no Authorization header at all. */
function post(path: string, body: BodyInit, type: string, token: string | null = issuer) {
  return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': type, ...(token !== null ? { Authorization: `Bearer ${token}` } : {}) }, body });
}
function get(path: string, token: string | null = issuer) {
  return fetch(`${server.baseUrl}${path}`, { headers: token !== null ? { Authorization: `Bearer ${token}` } : {} });
}
interface Batch { status: string; total: number; valid: number; issued: number; failed: number; errors: { row: number; field: string; message: { zh: string; en: string } }[] }
async function batch(id: string): Promise<Batch> {
  const res = await get(`/api/v1/batches/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Batch;
}
async function upload(body: BodyInit, type = 'text/csv'): Promise<string> {
  const res = await post('/api/v1/batches', body, type);
  const text = await res.text();
  expect(res.status, text).toBe(202);
  const { id } = JSON.parse(text) as { id: string };
  expect(res.headers.get('location')).toBe(`/api/v1/batches/${id}`);
  return id;
}
/** What the single issuance answers for this body: its field errors, as the batch lists them. */
async function singleErrors(body: unknown): Promise<{ field: string; message: { zh: string; en: string } }[]> {
  const res = await post('/api/v1/certificates', JSON.stringify(body), 'application/json');
  expect(res.status).toBeGreaterThanOrEqual(400);
  const p = (await res.json()) as { field: string; message: { zh: string; en: string }; errors?: { field: string; message: { zh: string; en: string } }[] };
  return p.errors ?? [{ field: p.field, message: p.message }];
}
async function expectProblem(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const p = (await res.json()) as { code: string; message: { zh: string; en: string } };
  if (code) expect(p.code).toBe(code);
  expect(p.message.zh).toMatch(/\p{Script=Han}/u);
  expect(p.message.en).toMatch(/[A-Za-z]/);
  return p;
}

const idA = '450102198005120019';
const idB = idNumber('45010219850301002');
const idC = idNumber('45010319900715003');
const badId = '450102198005120018'; // wrong check digit
const idE = idNumber('45010419751111004');

function sampleRows(): { rows: string[][]; bodies: Body[] } {
  const a = issueBody({ idNumber: idA, photo: false });
  a.original.evaluatingBody = '湖南省工程技术高级职务评审委员会,第二评委会'; // a comma inside quotes
  a.original.certificateNumber = 'HN"2015"-01'; // doubled quotes
  const b = issueBody({ name: '李四', idNumber: idB, photo: false, gender: 'female' });
  const c = issueBody({ name: '王五', idNumber: idC, photo: false });
  const bad = issueBody({ name: '赵六', idNumber: badId, photo: false });
  const e = issueBody({ name: '钱七', idNumber: idE, photo: false });
  (e.title as Partial<Body['title']>).specialty = undefined;
  const rows = [a, b, c, bad, e].map(rowOf);
  rows[2]![1] = '男'; // the Chinese word where the API takes a code
  return { rows, bodies: [a, b, c, bad, e] };
}

describe('batch issuance: upload, check, photos, errors sheet', () => {
  it('checks every CSV row with the single issuance’s rules and words, then attaches a ZIP of photos', async () => {
    const { rows, bodies } = sampleRows();
    const id = await upload(csvOf(PATHS, rows));
    const before = await batch(id);
    expect(before).toMatchObject({ status: 'validated', total: 5, valid: 0, issued: 0, failed: 5 });
    // Without photos each row fails as a single issuance without one does — same fields, same words.
    for (const [i, body] of bodies.entries()) {
      const rowErrors = before.errors.filter((e) => e.row === i + 2).map(({ field, message }) => ({ field, message }));
      expect(rowErrors).toEqual(await singleErrors(body));
    }
    expect(before.errors.find((e) => e.row === 2)?.message.zh).toContain('照片');

    const zip = zipSync({
      [`${idA}.jpg`]: PHOTO,
      [`photos/${idB}.JPG`]: PHOTO,
      [`${idC}.jpeg`]: PHOTO,
      [`${badId}.jpg`]: PHOTO,
      [`${idE}.jpg`]: new TextEncoder().encode('not a photo at all'),
      '450102190001010000.jpg': PHOTO,
      'readme.txt': new TextEncoder().encode('ignored'),
    });
    const res = await post(`/api/v1/batches/${id}/photos`, zip, 'application/zip');
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as { attached: number; unmatched: string[]; rejected: { file: string; message: { zh: string } }[]; valid: number; failed: number };
    expect(outcome).toMatchObject({ attached: 4, unmatched: ['450102190001010000.jpg'], valid: 3, failed: 2 });
    expect(outcome.rejected.map((r) => r.file)).toEqual([`${idE}.jpg`]);

    const after = await batch(id);
    expect(after).toMatchObject({ total: 5, valid: 3, failed: 2 });
    const withPhoto = (body: Body) => ({ ...body, holder: { ...body.holder, photo: `data:image/jpeg;base64,${Buffer.from(PHOTO).toString('base64')}` } });
    // The wrong check digit: the single issuance's own refusal, field and words.
    expect(after.errors.filter((e) => e.row === 5).map(({ field, message }) => ({ field, message }))).toEqual(await singleErrors(withPhoto(bodies[3]!)));
    expect(after.errors.find((e) => e.row === 5)?.field).toBe('holder.idNumber');
    // The missing specialty (its photo refused, so still missing too).
    expect(after.errors.filter((e) => e.row === 6).map((e) => e.field).sort()).toEqual(['holder.photo', 'title.specialty']);

    // errors.xlsx: the failing rows as uploaded, the error column first; read with the same library.
    const sheetRes = await get(`/api/v1/batches/${id}/errors.xlsx`);
    expect(sheetRes.status).toBe(200);
    expect(sheetRes.headers.get('content-type')).toBe(XLSX);
    const bytes = await sheetRes.arrayBuffer();
    const sheet = (await readSheet(bytes)) as (string | null)[][];
    expect(sheet[0]).toEqual(['错误说明 Errors', ...PATHS]);
    expect(sheet).toHaveLength(3);
    expect(sheet[1]![0]).toContain('holder.idNumber');
    expect(sheet[1]![4]).toBe(badId); // text, not a number that lost its digits
    expect(sheet[2]![0]).toContain('title.specialty');
    // Fixed and sent again, the error column is ignored.
    sheet[2]![7] = '电气工程';
    const again = await upload(await (await writeXlsxFile(sheet.map((r) => r.map((v) => v ?? ''))).toBlob()).arrayBuffer(), XLSX);
    const fixed = await batch(again);
    expect(fixed.total).toBe(2);
    expect(fixed.errors.filter((e) => e.row === 3).map((e) => e.field)).toEqual(['holder.photo']);
  });

  it('offers a template whose Chinese labels are accepted as column names (xlsx upload)', async () => {
    const res = await get('/api/v1/batches/template.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    const template = (await readSheet(await res.arrayBuffer())) as string[][];
    expect(template[1]).toEqual(PATHS);
    expect(template[0]).toContain('姓名');
    expect(template[0]).toContain('原取得时间');
    const { rows } = sampleRows();
    // The template as a clerk fills it: labels, the path row left in, then the rows.
    const filled = [template[0]!, template[1]!, ...rows.slice(0, 3)];
    const xlsx = await (await writeXlsxFile(filled).toBlob()).arrayBuffer();
    const id = await upload(xlsx, XLSX);
    const b = await batch(id);
    expect(b.total).toBe(3);
    expect(b.errors.map((e) => e.field)).toEqual(['holder.photo', 'holder.photo', 'holder.photo']);
    // The labels in a CSV too, and the path beside a label.
    const csvId = await upload(csvOf(template[0]!.map((label, i) => (i === 0 ? `${label}（holder.name）` : label)), rows.slice(0, 1)));
    expect((await batch(csvId)).total).toBe(1);
  });

  it('refuses hostile and wrong input in words, never a 500', async () => {
    const { rows } = sampleRows();
    await expectProblem(await post('/api/v1/batches', csvOf(PATHS, rows), 'application/json'), 415, 'unsupported_media_type');
    await expectProblem(await post('/api/v1/batches', csvOf(PATHS, rows), 'text/plain'), 415, 'unsupported_media_type');
    await expectProblem(await post('/api/v1/batches', 'a,b,c\r\n1,2,3', 'text/csv'), 422, 'validation_failed');
    await expectProblem(await post('/api/v1/batches', csvOf(PATHS, []), 'text/csv'), 422, 'validation_failed');
    await expectProblem(await post('/api/v1/batches', csvOf([...PATHS, 'holder.name'], []), 'text/csv'), 422, 'validation_failed');
    // GBK bytes for 姓名 are no UTF-8.
    const gbk = await expectProblem(await post('/api/v1/batches', new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a, 0x31]), 'text/csv'), 422, 'validation_failed');
    expect(gbk.message.zh).toContain('UTF-8');
    await expectProblem(await post('/api/v1/batches', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), XLSX), 422, 'validation_failed');
    await expectProblem(await post('/api/v1/batches', zipSync({ 'hello.txt': new TextEncoder().encode('hi') }), XLSX), 422, 'validation_failed');
    // An .xlsx that is a ZIP bomb: refused at the inflate limit, not unpacked.
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(101 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectProblem(await post('/api/v1/batches', bomb, XLSX), 413, 'body_too_large');
    // More rows than a batch holds.
    const line = rowOf(issueBody({ photo: false })).map(csvCell).join(',');
    const huge = `${PATHS.join(',')}\n${`${line}\n`.repeat(20_001)}`;
    await expectProblem(await post('/api/v1/batches', huge, 'text/csv'), 413, 'body_too_large');
    // A body over 16 MiB.
    await expectProblem(await post('/api/v1/batches', `${PATHS.join(',')}\n${'x'.repeat(17 * 1024 * 1024)}`, 'text/csv'), 413, 'body_too_large');

    const id = await upload(csvOf(PATHS, rows.slice(0, 1)));
    // A photo bomb: 100 MiB of zeros behind one small file name.
    const photoBomb = zipSync({ [`${idA}.jpg`]: new Uint8Array(100 * 1024 * 1024) }, { level: 9 });
    await expectProblem(await post(`/api/v1/batches/${id}/photos`, photoBomb, 'application/zip'), 413, 'body_too_large');
    await expectProblem(await post(`/api/v1/batches/${id}/photos`, new Uint8Array([80, 75, 3, 4, 9, 9, 9]), 'application/zip'), 422, 'validation_failed');
    await expectProblem(await post(`/api/v1/batches/${id}/photos`, 'not a zip', 'application/zip'), 422, 'validation_failed');
    await expectProblem(await post(`/api/v1/batches/${id}/photos`, zipSync({ 'a.jpg': PHOTO }), 'text/csv'), 415, 'unsupported_media_type');
    await expectProblem(await get('/api/v1/batches/BT20260101-0000000000000000'), 404, 'not_found');
    await expectProblem(await get('/api/v1/batches/%27%20OR%201%3D1--'), 404, 'not_found');
    expect((await batch(id)).total).toBe(1);
  }, 120_000);

  it('answers only the issuers of the batch’s own authority', async () => {
    const { rows } = sampleRows();
    const id = await upload(csvOf(PATHS, rows.slice(0, 2)));
    const csv = csvOf(PATHS, rows.slice(0, 1));
    await expectProblem(await post('/api/v1/batches', csv, 'text/csv', null), 401, 'unauthorized');
    await expectProblem(await post('/api/v1/batches', csv, 'text/csv', 'not-a-token'), 401, 'unauthorized');
    await expectProblem(await get(`/api/v1/batches/${id}`, null), 401, 'unauthorized');
    await expectProblem(await get('/api/v1/batches/template.xlsx', 'wrong'), 401, 'unauthorized');
    const admin = await server.token('GXZGB', 'admin');
    await expectProblem(await post('/api/v1/batches', csv, 'text/csv', admin), 403, 'forbidden');
    await expectProblem(await get(`/api/v1/batches/${id}`, admin), 403, 'forbidden');
    // Another authority's issuer: the batch does not exist for them.
    const city = await server.token('NNZGB', 'issuer');
    await expectProblem(await get(`/api/v1/batches/${id}`, city), 404, 'not_found');
    await expectProblem(await get(`/api/v1/batches/${id}/errors.xlsx`, city), 404, 'not_found');
    await expectProblem(await post(`/api/v1/batches/${id}/photos`, zipSync({ [`${idA}.jpg`]: PHOTO }), 'application/zip', city), 404, 'not_found');
    expect((await batch(id)).valid).toBe(0); // their photo never reached it
  });

  it('takes dozens of uploads at once, each its own batch', async () => {
    const { rows } = sampleRows();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post('/api/v1/batches', csvOf(PATHS, rows.slice(0, 1 + (i % 5))), 'text/csv').then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string }, n: 1 + (i % 5) }))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(202));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(30);
    for (const r of results) expect((await batch(r.body.id)).total).toBe(r.n);
  }, 120_000);
});
