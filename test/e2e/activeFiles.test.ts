/**
 * Issue 12 B10 on the real server: a 核实 record's evidence and a case's material are checked like the
 * photo. A PDF that acts on its own (a script — also hidden in a compressed object stream —, a launch, an
 * attachment) and an image whose header declares 30000 × 30000 pixels over a deflate bomb are refused with a
 * 422 that names the file and what was found, in Chinese and English; dozens sent at once write nothing; a
 * clean file of each kind is still taken.
 */
import Database from 'better-sqlite3';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectStream, pdfFile, simplePdf } from '../domain/pdfFixtures.js';
import { be32, concat, pngChunk, PNG_SIGNATURE } from '../domain/pngFixtures.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { applicationForm, client, json, pdfDataUrl, PNG_PHOTO, setUpWorkflow, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let caseId = '';

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  const created = await client(server, staff.applicant)('POST', '/api/v1/reconfirmations', applicationForm());
  caseId = (await json(created)).id;
  expect(created.status).toBe(201);
}, 240_000);
afterAll(async () => server?.stop());

const dataUrl = (bytes: Uint8Array, type: string) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

const SCRIPTED = simplePdf({ catalogExtra: '/OpenAction << /S /JavaScript /JS (app.launchURL("https://evil.example/")) >>' });
/** The same script, escaped and packed into a compressed object stream: invisible in the file's bytes. */
const PACKED_SCRIPT = pdfFile([
  { num: 10, body: objectStream([{ num: 1, body: '<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>' }, { num: 2, body: '<< /Type /Pages /Kids [] /Count 0 >>' }, { num: 6, body: '<< /S /J#61vaScript /J#53 (app.alert(1)) >>' }]) },
]);
const LAUNCH_AND_ATTACHMENT = simplePdf({ catalogExtra: '/Names << /EmbeddedFiles 5 0 R >> /OpenAction << /S /Launch /F (setup.exe) >>', more: [{ num: 5, body: '<< /Names [] >>' }] });
/** A PNG declaring 30000 × 30000 over 64 MiB of zeros deflated: 2.7 GB of pixels for whoever opens it. */
const PNG_BOMB = concat(PNG_SIGNATURE, pngChunk('IHDR', [...be32(30000), ...be32(30000), 8, 2, 0, 0, 0]), pngChunk('IDAT', deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })), pngChunk('IEND', []));

interface Problem {
  status: number;
  code: string;
  field: string;
  message: { zh: string; en: string };
  found?: string[];
  limit?: string;
}

async function problemOf(res: Response, status = 422): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as Problem;
  expect(problem.message.zh).toMatch(/\p{Script=Han}/u);
  expect(problem.message.en).toMatch(/[a-z]{3}/);
  return problem;
}

const rowCount = (table: string) => {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const letterRecord = (evidence: string) =>
  phoneRecordBody({
    method: 'letter',
    phone: undefined,
    letter: { number: '桂职办函〔2026〕3号', sentTo: '湖南省人力资源和社会保障厅', sentOn: '2026-11-02', repliedOn: '2026-11-16', evidence },
    checkedAt: '2026-11-16T10:00:00+08:00',
  });
const screenshotRecord = (evidence: string) =>
  phoneRecordBody({
    method: 'information_system',
    phone: undefined,
    informationSystem: { name: '全国专业技术人员职称查询系统', url: 'https://zcx.example.gov.cn/query?id=HN2015-00123', evidence },
    checkedAt: '2026-11-16T10:00:00+08:00',
  });

describe('核实 evidence (POST /api/v1/verification-records)', () => {
  const post = (body: unknown) => client(server, staff.handler)('POST', '/api/v1/verification-records', body);

  it('a scripted reply: 422 active_content naming the scan and the script', async () => {
    const problem = await problemOf(await post(letterRecord(dataUrl(SCRIPTED, 'application/pdf'))));
    expect(problem).toMatchObject({ code: 'active_content', field: 'letter.evidence', found: expect.arrayContaining(['/JavaScript', '/OpenAction']) });
    expect(problem.message.zh).toContain('回函扫描件含有JavaScript 脚本');
    expect(problem.message.en).toContain('The scan of the reply contains JavaScript');
  });

  it('the same script escaped inside a compressed object stream: found all the same', async () => {
    expect(Buffer.from(PACKED_SCRIPT).includes('JavaScript')).toBe(false);
    const problem = await problemOf(await post(letterRecord(dataUrl(PACKED_SCRIPT, 'application/pdf'))));
    expect(problem).toMatchObject({ code: 'active_content', found: expect.arrayContaining(['/JavaScript', '/JS']) });
  });

  it('a screenshot declaring 30000 × 30000 pixels over a deflate bomb: 422 naming the screenshot and its size', async () => {
    const problem = await problemOf(await post(screenshotRecord(dataUrl(PNG_BOMB, 'image/png'))));
    expect(problem).toMatchObject({ code: 'validation_failed', field: 'informationSystem.evidence', limit: 'max_pixels' });
    expect(problem.message.zh).toContain('查询结果截图：图像为 30000×30000 像素');
  });

  it('24 hostile records at once: every one 422, nothing written; without a token 401', async () => {
    const before = rowCount('verification_records');
    const bodies = Array.from({ length: 24 }, (_, i) => [letterRecord(dataUrl(SCRIPTED, 'application/pdf')), letterRecord(dataUrl(LAUNCH_AND_ATTACHMENT, 'application/pdf')), screenshotRecord(dataUrl(PNG_BOMB, 'image/png'))][i % 3]);
    const answers = await Promise.all(bodies.map((body) => post(body)));
    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(422));
    expect(rowCount('verification_records')).toBe(before);
    expect((await client(server, null)('POST', '/api/v1/verification-records', bodies[0])).status).toBe(401);
  });

  it('bypasses found in review, each a 422 naming what it hides; an object stream it cannot read: 422 uncheckable', async () => {
    const chained = simplePdf({ catalogExtra: '/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>', more: [{ num: 6, body: '<< /S /URI /URI (https://evil.example/track) >>' }] });
    const sloppyKeyword = Buffer.from(Buffer.from(PACKED_SCRIPT).toString('latin1').replace('stream\n', 'stream \r\n'), 'latin1');
    const scriptLink = simplePdf({ pageExtra: '/Annots [5 0 R]', more: [{ num: 5, body: '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /#55RI (java\\tscript:app.alert(1)) >> >>' }] });
    const unreadable = pdfFile([{ num: 1, body: '<< /Type /Catalog >>' }, { num: 9, body: '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 9 >>' }]);
    const answers = await Promise.all([chained, sloppyKeyword, scriptLink, unreadable].map((pdf) => post(letterRecord(dataUrl(pdf, 'application/pdf')))));
    const [a, b, c, d] = await Promise.all(answers.map((res) => problemOf(res)));
    expect(a).toMatchObject({ code: 'active_content', found: ['/OpenAction'] });
    expect(b).toMatchObject({ code: 'active_content', found: expect.arrayContaining(['/JavaScript', '/JS', '/OpenAction']) });
    expect(c).toMatchObject({ code: 'active_content', found: ['/URI'] });
    expect(c!.message.zh).toContain('javascript:');
    expect(d).toMatchObject({ code: 'validation_failed', field: 'letter.evidence', limit: 'uncheckable_pdf' });
    expect(d!.message.zh).toContain('对象流');
    expect(d!.message.en).toContain('object streams');
  });

  it('a clean reply is recorded', async () => {
    expect((await post(letterRecord(pdfDataUrl('回函')))).status).toBe(201);
  });
});

describe('case materials (POST /api/v1/reconfirmations/{id}/materials)', () => {
  const upload = (filename: string, content: string, item = 'original_title_proof') => client(server, staff.applicant)('POST', `/api/v1/reconfirmations/${caseId}/materials`, { item, filename, content });

  it('a certificate copy with a launch and an attachment: 422 naming the file and both', async () => {
    const problem = await problemOf(await upload('原职称证书.pdf', dataUrl(LAUNCH_AND_ATTACHMENT, 'application/pdf')));
    expect(problem).toMatchObject({ code: 'active_content', field: 'content', found: expect.arrayContaining(['/Launch', '/EmbeddedFiles']) });
    expect(problem.message.zh).toContain('材料“原职称证书.pdf”含有');
    expect(problem.message.zh).toContain('内嵌的附件文件');
    expect(problem.message.en).toContain('The material "原职称证书.pdf" contains');
  });

  it('an image bomb as the employment proof: 422 naming the file', async () => {
    const problem = await problemOf(await upload('劳动合同.png', dataUrl(PNG_BOMB, 'image/png'), 'employment_proof'));
    expect(problem).toMatchObject({ field: 'content', limit: 'max_pixels' });
    expect(problem.message.zh).toContain('材料“劳动合同.png”：图像为 30000×30000 像素');
  });

  it('24 hostile uploads at once: every one 422, no material kept; a role that may not upload: 403', async () => {
    const before = rowCount('application_materials');
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => upload(`件${i}.pdf`, dataUrl(i % 2 ? PACKED_SCRIPT : SCRIPTED, 'application/pdf'))));
    expect(answers.map((r) => r.status)).toEqual(Array(24).fill(422));
    expect(rowCount('application_materials')).toBe(before);
    const reviewer = await client(server, staff.auditor)('POST', `/api/v1/reconfirmations/${caseId}/materials`, { item: 'original_title_proof', filename: 'x.pdf', content: dataUrl(SCRIPTED, 'application/pdf') });
    expect(reviewer.status).toBe(403);
  });

  it('clean files are kept: a PDF and the photo', async () => {
    expect((await upload('原职称证书.pdf', pdfDataUrl('certificate'))).status).toBe(200);
    expect((await upload('照片.png', PNG_PHOTO, 'photo')).status).toBe(200);
  });
});
