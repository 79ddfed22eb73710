/**
 * The public working-day calendar on the real server: the notice period, a provisional year, the
 * region's 壮族三月三 (issue 13 item 7), a year announced only by the admin's explicit record of both its
 * arrangements (item 8), and bad queries refused as problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, client, ORGANISATIONS, type Person } from '../support/workflow.js';

let server: RunningServer;
let admin: Person;

beforeAll(async () => {
  server = await startServer();
  const placed = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--kind', 'region_title_office']);
  if (placed.code !== 0) throw new Error(`org add failed: ${placed.stderr}`);
  admin = { token: await server.token('GXZGB', 'admin'), id: '', name: 'admin@GXZGB' };
}, 180_000);
afterAll(async () => server?.stop());

const DATA_VERSION = 'chinese-days@1.5.7+guangxi-sanyuesan@2026-12-07';
const noticeEnd = (query: string) => fetch(`${server.baseUrl}/api/v1/calendar/notice-end?${query}`);
const year = (y: string | number) => fetch(`${server.baseUrl}/api/v1/calendar/years/${y}`);

describe('GET /api/v1/calendar/notice-end', () => {
  it('Tue 2026-09-29 + 5 working days → Sat 2026-10-10', async () => {
    const res = await noticeEnd('start=2026-09-29&days=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ end: '2026-10-10', provisional: false, dataVersion: DATA_VERSION });
  });

  it('marks a 2027 period provisional', async () => {
    const res = await noticeEnd('start=2027-09-29&days=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ end: '2027-10-06', provisional: true });
  });

  it('counts 壮族三月三 as announced for 2024 (4-11, 4-12 off): Tue 4-09 + 5 → Wed 4-17, final', async () => {
    expect(await (await noticeEnd('start=2024-04-09&days=5')).json()).toEqual({ end: '2024-04-17', provisional: false, dataVersion: DATA_VERSION });
    expect(await (await year(2024)).json()).toMatchObject({ year: 2024, announced: true, regional: { recordedBy: 'data', holidays: ['2024-04-11', '2024-04-12'] } });
  });

  it('computes 2026’s 三月三 from the lunar calendar (Sun 4-19, Mon 4-20) and answers provisional', async () => {
    expect(await (await noticeEnd('start=2026-04-16&days=5')).json()).toMatchObject({ end: '2026-04-23', provisional: true });
    const status = await year(2026);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({
      year: 2026,
      announced: false,
      national: { announced: true, recordedBy: 'data' },
      regional: { observed: true, announced: false, recordedBy: null, lunarDays: ['2026-04-19', '2026-04-20'], holidays: ['2026-04-19', '2026-04-20'], workdays: [], announcement: null },
    });
  });

  it.each(['start=2026-02-30&days=5', 'start=2026-09-29&days=0', 'start=2026-09-29&days=61', 'start=2026-09-29&days=x', 'days=5'])('refuses %s with 422', async (query) => {
    const res = await noticeEnd(query);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each(['2100', '2003', 'x', '2026.5'])('refuses the year %s with 422', async (y) => {
    const res = await year(y);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('a year is announced only by the admin’s record of both its arrangements (issue 13 item 8)', () => {
  it('an override alone leaves 2027 provisional; national recorded makes January final; both make 三月三 final', async () => {
    const put = client(server, admin);
    expect((await put('PUT', '/api/v1/calendar/overrides/2027-01-04', { kind: 'workday', note: '国办发明电 元旦调休' })).status).toBe(204);
    expect(await (await noticeEnd('start=2026-12-29&days=5')).json()).toMatchObject({ end: '2027-01-05', provisional: true });
    expect(await (await year(2027)).json()).toMatchObject({ announced: false, national: { announced: false, recordedBy: null } });

    expect((await put('PUT', '/api/v1/calendar/years/2027', { national: true, regional: false, note: '国务院办公厅关于2027年部分节假日安排的通知' })).status).toBe(204);
    expect(await (await noticeEnd('start=2026-12-29&days=5')).json()).toMatchObject({ end: '2027-01-05', provisional: false });
    // 2027's 三月三: Fri 4-09, Sat 4-10 — still a guess: Wed 4-07, Thu 4-08, Mon 4-12, Tue 4-13, Wed 4-14
    expect(await (await noticeEnd('start=2027-04-07&days=5')).json()).toMatchObject({ end: '2027-04-14', provisional: true });
    expect(await (await year(2027)).json()).toMatchObject({ announced: false, national: { announced: true, recordedBy: 'admin' }, regional: { announced: false } });

    expect((await put('PUT', '/api/v1/calendar/years/2027', { national: true, regional: true, note: '及自治区人民政府办公厅关于2027年“壮族三月三”放假的通知' })).status).toBe(204);
    const final = await (await noticeEnd('start=2027-04-07&days=5')).json();
    expect(final).toMatchObject({ end: '2027-04-14', provisional: false });
    expect(final.dataVersion).toMatch(/^chinese-days@[\d.]+\+guangxi-sanyuesan@[\d-]+\+admin:[0-9a-f]{12}$/);
    expect(await (await year(2027)).json()).toMatchObject({ announced: true, regional: { announced: true, recordedBy: 'admin' } });
  });

  it('is audited, and only the root office’s admin may record it (403 for a city office’s admin)', async () => {
    const auditor = await addPerson(server, admin, 'GXZGB', 'auditor', '冯审');
    const trail = await (await client(server, auditor)('GET', '/api/v1/audit?subject=calendar:2027')).json();
    expect(trail.items.map((e: { action: string; detail: unknown }) => [e.action, e.detail])).toEqual([
      ['calendar.announce', expect.objectContaining({ national: true, regional: false })],
      ['calendar.announce', expect.objectContaining({ national: true, regional: true })],
    ]);
    expect((await client(server, admin)('POST', '/api/v1/organisations', ORGANISATIONS[0])).status).toBe(200);
    const cityAdmin = await addPerson(server, admin, 'NNZGB', 'admin', '城管理员');
    const refused = await client(server, cityAdmin)('PUT', '/api/v1/calendar/years/2028', { national: true, regional: true, note: '测试' });
    expect(refused.status).toBe(403);
    expect(await (await year(2028)).json()).toMatchObject({ announced: false });
  });

  it('refuses a record without a token (401), without a note or with an unknown field (422), for a year out of range (422)', async () => {
    const anonymous = await fetch(`${server.baseUrl}/api/v1/calendar/years/2028`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ national: true, regional: true, note: 'x' }) });
    expect(anonymous.status).toBe(401);
    const put = client(server, admin);
    for (const [path, body] of [
      ['/api/v1/calendar/years/2028', { national: true, regional: true }],
      ['/api/v1/calendar/years/2028', { national: true, regional: true, note: 'x', announced: true }],
      ['/api/v1/calendar/years/2028', { national: 'yes', regional: true, note: 'x' }],
      ['/api/v1/calendar/years/2100', { national: true, regional: true, note: 'x' }],
    ] as const) {
      const res = await put('PUT', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await (await year(2028)).json()).toMatchObject({ announced: false });
  });
});
