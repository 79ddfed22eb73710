/**
 * Two admins' placements that are each in rank order but not together (domain/ranks.ts), racing on one real
 * SQLite database: both read the tree before either writes. Whichever lands first, the other is answered
 * 409 and the tree stays in rank order — never a unit under a unit, a cycle, or an unaudited write; the
 * audit trail passes `log check` after each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../../src/domain/errors.js';
import { KIND_RANK } from '../../src/domain/ranks.js';
import type { OrgNode } from '../../src/domain/routing.js';
import { addPerson, saveOrganisation } from '../../src/services/administration.js';
import type { Actor } from '../../src/services/context.js';
import { runLogCheck, sqliteLogSource } from '../../src/cli/logCheck.js';
import { makeContext, NOW, ROOT_PEM, type TestContext } from './support.js';

const admin = (orgCode: string): Actor => ({ orgCode, role: 'admin', tokenId: `tok_${orgCode}`, personId: `P_${orgCode}`, personName: `admin@${orgCode}` });
const region = admin('GXZGB');
const city = admin('NNZGB');

let dir: string;
let t: TestContext;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ranks-race-'));
  t = await makeContext({ path: join(dir, 'ecert.db') });
  for (const org of [
    { code: 'GXZGB', name: '自治区职改办', kind: 'region_title_office', parentCode: null },
    { code: 'NNZGB', name: '南宁市职改办', kind: 'city_title_office', parentCode: 'GXZGB' },
    { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'NNZGB' },
    { code: 'NNZJJ', name: '南宁市住建局', kind: 'competent_department', parentCode: 'NNZGB' },
    { code: 'GXJTT', name: '自治区交通运输厅', kind: 'department_hr_office', parentCode: 'GXZGB' },
  ] as OrgNode[]) {
    await t.ctx.organisations.upsert(org, NOW.toISOString());
  }
});
afterEach(async () => {
  // Landed or refused, the audit trail stays whole: each row it kept has its signed head, none is dangling.
  const lines: string[] = [];
  expect(await runLogCheck(sqliteLogSource(t.db, 'verification', t.blobs), ROOT_PEM, (line) => lines.push(line)), lines.join('\n')).toBe(0);
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every organisation with a parent ranks strictly below it (ranks by hand: 0 region, 1 city, 2 department, 3 unit). */
async function outOfOrder(): Promise<string[]> {
  const tree = await t.ctx.organisations.tree();
  return [...tree.values()].filter((o) => o.parentCode && !((KIND_RANK[o.kind] ?? -1) > (KIND_RANK[tree.get(o.parentCode)!.kind] ?? 99))).map((o) => `${o.code} under ${o.parentCode}`);
}

async function settle(...saves: Promise<unknown>[]): Promise<string[]> {
  const outcomes = await Promise.allSettled(saves);
  return outcomes.map((o) => (o.status === 'fulfilled' ? 'saved' : o.reason instanceof DomainError ? o.reason.code : String(o.reason)));
}

describe('racing placements', () => {
  it('a department re-kinded to a unit while a unit is placed under it: one lands, the other is refused', async () => {
    const outcomes = await settle(
      saveOrganisation(t.ctx, region, { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'unit', parentCode: 'NNZGB' }),
      saveOrganisation(t.ctx, city, { code: 'NNLQ01', name: '南宁路桥', kind: 'unit', parentCode: 'NNJTJ' }),
    );
    expect(outcomes.filter((o) => o === 'saved')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'saved')).toEqual([expect.stringMatching(/^(conflict|rank_order)$/)]);
    expect(await outOfOrder()).toEqual([]);
  });

  it('two departments moved under each other at once: no cycle', async () => {
    await saveOrganisation(t.ctx, region, { code: 'NNZJJ', name: '南宁市住建局', kind: 'city_title_office', parentCode: 'GXZGB' });
    await saveOrganisation(t.ctx, region, { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'city_title_office', parentCode: 'GXZGB' });
    const outcomes = await settle(
      saveOrganisation(t.ctx, region, { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'NNZJJ' }),
      saveOrganisation(t.ctx, region, { code: 'NNZJJ', name: '南宁市住建局', kind: 'competent_department', parentCode: 'NNJTJ' }),
    );
    expect(outcomes.filter((o) => o === 'saved')).toHaveLength(1);
    expect(await outOfOrder()).toEqual([]);
  });

  it('every refused save leaves no audit event; every landed one has its own', async () => {
    await settle(
      saveOrganisation(t.ctx, region, { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'unit', parentCode: 'NNZGB' }),
      saveOrganisation(t.ctx, city, { code: 'NNLQ01', name: '南宁路桥', kind: 'unit', parentCode: 'NNJTJ' }),
    );
    const events = t.db.prepare("SELECT subject, detail FROM audit_events WHERE action = 'organisation.save'").all() as { subject: string; detail: string }[];
    expect(events).toHaveLength(1);
    const tree = await t.ctx.organisations.tree();
    const { kind, parentCode } = JSON.parse(events[0]!.detail) as OrgNode;
    expect(tree.get(events[0]!.subject.replace('organisation:', ''))).toMatchObject({ kind, parentCode });
  });

  it('an admin appointed at a department while the region moves it out of the city\'s subtree: never an admin the city could not appoint', async () => {
    const [added, moved] = await settle(
      addPerson(t.ctx, city, { orgCode: 'NNJTJ', role: 'admin', name: '新管理员' }),
      saveOrganisation(t.ctx, region, { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'GXJTT' }),
    );
    expect(moved).toBe('saved');
    const actions = (t.db.prepare("SELECT action FROM audit_events WHERE action IN ('person.add', 'organisation.save') ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    const people = t.db.prepare("SELECT count(*) AS n FROM people WHERE org_code = 'NNJTJ'").get() as { n: number };
    // Either the appointment landed first, while NNJTJ was still the city's, or it was refused.
    if (added === 'saved') expect(actions).toEqual(['person.add', 'organisation.save']);
    else expect([added, actions, people.n]).toEqual(['conflict', ['organisation.save'], 0]);
  });
});
