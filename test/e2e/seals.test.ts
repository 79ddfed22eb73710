/**
 * Issue 16 item 1 on the real server, Node and workerd alike: an organisation's USCC and electronic seal —
 * created (201, then 409), rotated, listed — with the seal CA from the key bundle (ECERT_KEYS on Workers) and
 * the master key from outside the database (a key file on Node, the ECERT_SEAL_MASTER_KEY secret on
 * Workers); the database file holds no private key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, client, json, setUpWorkflow, ORGANISATIONS, type Person, type Staff } from '../support/workflow.js';

let server: RunningServer;
let staff: Staff;
let cityAdmin: Person;

beforeAll(async () => {
  server = await startServer();
  staff = await setUpWorkflow(server);
  cityAdmin = await addPerson(server, staff.admin, 'NNZGB', 'admin', '南宁管理员');
}, 180_000);
afterAll(() => server?.stop());

describe('electronic seals on the running server', () => {
  it('USCC saved, a seal created once (then 409), rotated with the old one kept; no private key in the database', async () => {
    const admin = client(server, staff.admin);
    const city = client(server, cityAdmin);
    const org = ORGANISATIONS.find((o) => o.code === 'NNZGB')!;
    const saved = await admin('POST', '/api/v1/organisations', { ...org, uscc: '91350100M000100Y43' });
    expect([saved.status, (await json(saved)).uscc]).toEqual([200, '91350100M000100Y43']);

    const created = await city('POST', '/api/v1/organisations/NNZGB/seals', {});
    const seal = await json(created);
    expect([created.status, seal.status, seal.uscc]).toEqual([201, 'active', '91350100M000100Y43']);
    expect(seal.certificatePem).toContain('BEGIN CERTIFICATE');
    expect((await city('POST', '/api/v1/organisations/NNZGB/seals', {})).status).toBe(409);
    expect((await city('POST', '/api/v1/organisations/GXZGB/seals', {})).status).toBe(403);

    const rotated = await city('POST', '/api/v1/organisations/NNZGB/seals/rotation', {});
    expect([rotated.status, (await json(rotated)).retired]).toEqual([201, seal.id]);
    const listed = await json(await city('GET', '/api/v1/organisations/NNZGB/seals'));
    expect(listed.items.map((s: { status: string }) => s.status).sort()).toEqual(['active', 'retired']);

    // The file and its write-ahead log: what a copy of the database would hold.
    const bytes = Buffer.concat([server.dbPath, `${server.dbPath}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path)));
    expect(bytes.includes(Buffer.from('BEGIN CERTIFICATE'))).toBe(true);
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
  });
});
