/**
 * Issue 19 item 4 on the real server, Node and workerd alike: one certificate's 电子证照 metadata for its issuing
 * authority, and a period's metadata as CSV for a provincial library — the caller's subtree only; no or a wrong token 401, a role without the permission 403, another authority's certificate
 * 404, hostile query input a problem (never a 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { issueBody } from '../support/fixtures.js';
import { setUpWorkflow, type Staff } from '../support/workflow.js';
import { DEMO_AUTHORITY_USCCS, DEMO_LICENCE_TYPE_CODE } from '../../src/domain/licenceIdentifier.js';
import { chinaDate } from '../../src/domain/chineseDate.js';

let server: RunningServer;
let staff: Staff;
let regionIssuer: string;
let cityIssuer: string;
let regionCert: { number: string; identifier: string };
let cityCert: { number: string; identifier: string };

const get = (path: string, token?: string) => fetch(`${server.baseUrl}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

async function issue(token: string, body: unknown): Promise<{ number: string; identifier: string }> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ number: string; identifier: string }>;
}

/** The CSV's rows as cells (no quoted commas in these values but the holder's name, handled by the parser below). */
function rowsOf(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, 16));
}

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server); // NNZGB (南宁) sits below GXZGB (the region)
  regionIssuer = await server.token('GXZGB', 'issuer');
  cityIssuer = await server.token('NNZGB', 'issuer');
  regionCert = await issue(regionIssuer, issueBody());
  cityCert = await issue(cityIssuer, { ...issueBody({ name: '李四', idNumber: '450103198501010026', gender: 'female' }), title: { series: 'engineering', name: '工程师', specialty: '道路桥梁' } });
}, 180_000);
afterAll(async () => server?.stop());

describe('GET /api/v1/certificates/{number}/metadata', () => {
  it('gives the issuing authority the metadata set in the documented mapping', async () => {
    const res = await get(`/api/v1/certificates/${regionCert.number}/metadata`, regionIssuer);
    expect(res.status).toBe(200);
    const today = chinaDate(new Date());
    expect(await res.json()).toEqual({
      identifier: regionCert.identifier,
      licenceType: { code: DEMO_LICENCE_TYPE_CODE, name: '职称电子证书' },
      name: '高级工程师',
      certificateNumber: regionCert.number,
      holder: { name: '张三丰', code: '450102198005120019', codeType: '居民身份证' },
      issuer: { name: '广西壮族自治区职称改革工作领导小组办公室', code: DEMO_AUTHORITY_USCCS.GXZGB },
      issuedOn: today,
      validity: { from: today, until: null, text: '长期' },
      status: { code: 'valid', name: '有效' },
      version: '001',
      relatedIdentifiers: [],
    });
  });

  it('401 without or with a wrong token, 403 for a role that may not read certificates, 404 for another authority’s', async () => {
    const path = `/api/v1/certificates/${regionCert.number}/metadata`;
    for (const res of [await get(path), await get(path, 'not-a-token')]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const forbidden = await get(path, staff.handler.token);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).code).toBe('forbidden');
    const other = await get(path, cityIssuer);
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain('张三丰');
    expect((await get('/api/v1/certificates/%3Cscript%3E/metadata', regionIssuer)).status).toBe(404);
  });
});

describe('GET /api/v1/certificates/metadata.csv', () => {
  const today = chinaDate(new Date());
  const yesterday = chinaDate(new Date(Date.now() - 86_400_000));

  it('exports the period’s certificates of the caller’s subtree (formula-like cells: test/http/licenceMetadataCsv.test.ts)', async () => {
    const res = await get(`/api/v1/certificates/metadata.csv?from=${yesterday}&to=${today}`, regionIssuer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with BOM, as Excel wants it
    const rows = rowsOf(new TextDecoder().decode(bytes));
    expect(rows[0]).toEqual(['证照标识', '证照类型代码', '证照类型', '证照名称', '证照编号', '持证主体', '持证主体代码类型', '持证主体代码', '颁发机构', '颁发机构代码', '颁发日期', '有效期起始日期', '有效期截止日期', '状态', '版本', '关联证照标识']);
    const byNumber = new Map(rows.slice(1).map((r) => [r[4], r]));
    expect([...byNumber.keys()].sort()).toEqual([regionCert.number, cityCert.number].sort()); // the region sees the city below it
    expect(byNumber.get(regionCert.number)).toEqual([regionCert.identifier, DEMO_LICENCE_TYPE_CODE, '职称电子证书', '高级工程师', regionCert.number, '张三丰', '居民身份证', '450102198005120019', '广西壮族自治区职称改革工作领导小组办公室', DEMO_AUTHORITY_USCCS.GXZGB, today, today, '长期', '有效', '001', '']);
    expect(byNumber.get(cityCert.number)![5]).toBe('李四');
    expect(byNumber.get(cityCert.number)![9]).toBe(DEMO_AUTHORITY_USCCS.NNZGB);
  });

  it('an organisation outside the subtree gets nothing of it; a period without issuance is the header alone', async () => {
    const city = rowsOf(await (await get(`/api/v1/certificates/metadata.csv?from=${today}&to=${today}`, cityIssuer)).text());
    expect(city.slice(1).map((r) => r[4])).toEqual([cityCert.number]);
    const before = rowsOf(await (await get(`/api/v1/certificates/metadata.csv?from=2020-01-01&to=${yesterday}`, regionIssuer)).text());
    expect(before).toHaveLength(1);
  });

  it('401 / 403 like the certificate, and hostile query input is a problem, never a 500', async () => {
    const path = `/api/v1/certificates/metadata.csv?from=${today}&to=${today}`;
    expect((await get(path)).status).toBe(401);
    expect((await get(path, staff.handler.token)).status).toBe(403);
    for (const query of [
      '',
      'from=2026-01-01',
      'from=2026-13-01&to=2026-12-31',
      'from=2026-02-30&to=2026-03-01',
      `from=2026-03-01&to=2026-01-01`,
      'from=2020-01-01&to=2026-01-01',
      `from=${encodeURIComponent("2026-01-01' OR 1=1 --")}&to=2026-01-02`,
      `from=${'9'.repeat(5000)}&to=2026-01-01`,
      'from=2026-01-01&from=2026-01-02&to=2026-01-03',
      'from=%00&to=%FF',
    ]) {
      const res = await get(`/api/v1/certificates/metadata.csv?${query}`, regionIssuer);
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
      expect(res.headers.get('content-type'), query).toContain('application/problem+json');
      const problem = await res.json();
      expect(problem.code, query).toBe('validation_failed');
      expect(problem.message.zh, query).toBeTruthy();
    }
  });
});
