/**
 * Holders for the tests of issue 17: a certificate issued directly by an issuer's token, and a person an admin
 * adds as a holder with their ID number (written, never echoed back).
 */
import { expect } from 'vitest';
import type { RunningServer } from './server.js';
import type { issueBody } from './fixtures.js';
import { client, json, type Person } from './workflow.js';

/** @example const number = await issueAs(server, issuerToken, issueBody({ idNumber })); */
export async function issueAs(server: RunningServer, issuerToken: string, body: ReturnType<typeof issueBody>): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/certificates`, { method: 'POST', headers: { Authorization: `Bearer ${issuerToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { number: string }).number;
}

/** @example const holder = await addHolder(server, staff.admin, '张三丰', '450102198005120019'); */
export async function addHolder(server: RunningServer, admin: Person, name: string, idNumber: string): Promise<Person> {
  const res = await client(server, admin)('POST', '/api/v1/people', { orgCode: 'GXZGB', role: 'holder', name, idNumber });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(JSON.stringify(body)).not.toContain(idNumber); // written, never echoed
  return { token: body.token, id: body.person.id, name };
}
