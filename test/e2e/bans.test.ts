/**
 * Notice 四(一): revoking a certificate for false materials bars the holder for five years from the year of
 * the revocation — the ban is recorded with the revocation, staff can read it, and a new issuance for the
 * same person is refused citing the clause. Revocation for another reason records no ban.
 */
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

const headers = () => ({ Authorization: `Bearer ${issuer}`, 'Content-Type': 'application/json' });
const issue = (body: unknown) => fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
const revoke = (number: string, reason: string) =>
  fetch(`${server.baseUrl}/api/v1/certificates/${number}/revocation`, { method: 'POST', headers: headers(), body: JSON.stringify({ reason, note: '经查实' }) });
const banStatus = async (idNumber: string) =>
  (await (await fetch(`${server.baseUrl}/api/v1/bans/${idNumber}`, { headers: { Authorization: `Bearer ${issuer}` } })).json()) as { banned: boolean; until: string | null; bans: { startYear: number; endYear: number }[] };

describe('the five-year ban', () => {
  it('is recorded with a false-materials revocation and refuses a new issuance', async () => {
    const person = { name: '李四', idNumber: '450103198501010026', gender: 'female' as const };
    const created = (await (await issue(issueBody(person))).json()) as { number: string };
    expect((await banStatus(person.idNumber)).banned).toBe(false);
    expect((await revoke(created.number, 'false_materials')).status).toBe(200);
    const status = await banStatus(person.idNumber);
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    expect(status).toMatchObject({ banned: true, until: `${year + 4}-12-31` });
    expect(status.bans[0]).toMatchObject({ startYear: year, endYear: year + 4 });
    const again = await issue(issueBody(person));
    expect(again.status).toBe(422);
    const problem = (await again.json()) as { code: string; message: { zh: string } };
    expect(problem.code).toBe('banned');
    expect(problem.message.zh).toContain('四(一)');
  });

  it('is not recorded for a revocation issued in error, and is for staff only', async () => {
    const created = (await (await issue(issueBody())).json()) as { number: string };
    expect((await revoke(created.number, 'issued_in_error')).status).toBe(200);
    expect((await banStatus('450102198005120019')).banned).toBe(false);
    expect((await fetch(`${server.baseUrl}/api/v1/bans/450102198005120019`)).status).toBe(401);
  });
});
