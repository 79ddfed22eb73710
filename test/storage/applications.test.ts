/**
 * storage/applications on a real SQLite file, through the chain writer as the services write it: an
 * application and its history round-trip field for field (form and assessment as JSON), a transition
 * lands only on the version it was read at (a racing one is a ConstraintError and writes nothing),
 * Idempotency-Keys find the earlier try, the list filters, scopes by organisation and route, orders and
 * pages; materials, objections and linked 核实 records come back in order; concurrent writes lose nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, ApplicationEvent, ApplicationForm, Material, Objection } from '../../src/domain/application.js';
import type { EligibilityAssessment } from '../../src/domain/eligibility.js';
import type { VerificationRecordDraft } from '../../src/domain/recordChain.js';
import { sha256Hex } from '../../src/lib/bytes.js';
import { ApplicationRepository, type ApplicationChange } from '../../src/storage/applications.js';
import { AuditRepository } from '../../src/storage/audit.js';
import { CertificateRepository } from '../../src/storage/certificates.js';
import { ConstraintError, sql } from '../../src/storage/driver.js';
import { OrganisationRepository } from '../../src/storage/organisations.js';
import { VerificationRecordRepository } from '../../src/storage/verificationRecords.js';
import { certificate, HOSTILE, LONG, openStore, RARE, tempDir, type Store } from './repoSupport.js';

const tmp = tempDir('applications');
let store: Store;
let apps: ApplicationRepository;
const T0 = '2026-11-20T01:00:00.000Z';

// The repository stores the form and the assessment as JSON: any shape round-trips; these look like the real ones.
const form = (name: string) =>
  ({
    eligibility: { acquisitionMethod: 'evaluation', nationalExam: false },
    applicant: { name, gender: 'female', idType: 'resident_id_card', idNumber: '450102198005120019', birthMonth: null, education: '本科', graduation: { on: '2002-07-01', school: `广西大学${RARE}`, major: '电气' }, workStartedOn: '2002-08-01', originalEmployer: '湖南某厂', originalWork: '设计', currentWork: '设计', personnelFileHolder: '人才中心' },
    specialty: `电气工程${RARE}`,
  }) as unknown as ApplicationForm;
const assessment = { decision: 'eligible', reasons: [{ zh: `符合${RARE}`, en: 'eligible', clause: '二(一)' }], materials: ['original_certificate'] } as unknown as EligibilityAssessment;

function application(id: string, overrides: Partial<Application> = {}): Application {
  return {
    id,
    applicantId: 'P_gx',
    unitCode: 'UNIT1',
    holderCode: 'UNIT1',
    authorityCode: 'GXZGB',
    status: 'draft',
    version: 1,
    idNumber: '450102198005120019',
    holderName: `䶮${RARE}`,
    level: 'senior_associate',
    form: form(`䶮${RARE}`),
    eligibility: assessment,
    employerChoice: null,
    notice: null,
    returned: null,
    decision: null,
    certificateNumber: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const event = (seq: number, overrides: Partial<ApplicationEvent> = {}): ApplicationEvent => ({
  seq,
  action: seq === 1 ? 'create' : 'step',
  fromStatus: seq === 1 ? null : 'draft',
  toStatus: 'draft',
  person: { id: 'P_gx', name: `经办人${RARE}` },
  org: { code: 'UNIT1', name: '某单位' },
  role: 'applicant',
  at: `2026-11-20T01:00:${String(seq).padStart(2, '0')}.000Z`,
  opinion: null,
  data: {},
  ...overrides,
});

async function create(id: string, overrides: Partial<Application> = {}, key: string | null = null): Promise<Application> {
  const a = application(id, overrides);
  await apps.create(a, event(1, { toStatus: a.status }), key ? { key, requestHash: `hash-${key}` } : null, []);
  return a;
}

beforeAll(async () => {
  store = await openStore(tmp.dir, 'applications.db');
  apps = new ApplicationRepository(store.driver);
  const orgs = new OrganisationRepository(store.raw);
  await orgs.upsert({ code: 'UNIT1', name: '某单位', kind: 'unit', parentCode: 'GXZGB' }, T0);
  await orgs.upsert({ code: 'UNIT2', name: '另一单位', kind: 'unit', parentCode: 'NNZGB' }, T0);
  await orgs.addPerson({ id: 'P_u2', orgCode: 'UNIT2', name: '申请人乙', role: 'applicant', createdAt: T0 }, 'test');
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('ApplicationRepository: create, find, history', () => {
  it('round-trips every field of a new application and its first event', async () => {
    const a = await create('AP_full');
    expect(await apps.find('AP_full')).toEqual(a);
    expect(await apps.events('AP_full')).toEqual([event(1)]);
    expect(await apps.find('AP_none')).toBeUndefined();
    expect(await apps.find("AP_full' OR '1'='1")).toBeUndefined();
    expect(await apps.events('AP_none')).toEqual([]);
  });

  it('a transition changes every column it names, bumps the version and appends the event; null clears', async () => {
    const a = await create('AP_move');
    await new CertificateRepository(store.driver, store.blobs).insert(certificate('26APPCERT001'), new Uint8Array([1]));
    const change: ApplicationChange = {
      status: 'approved',
      holderCode: 'GXZGB',
      form: form('改名'),
      eligibility: { ...assessment, decision: 'employer_decides' } as EligibilityAssessment,
      employerChoice: 're_evaluate',
      notice: { start: '2026-11-21', end: '2026-11-27', provisional: true, dataVersion: `2026-v1${RARE}` },
      returned: { to: 'unit_review', reason: `材料不全${HOSTILE}` },
      decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-11-28' },
      certificateNumber: '26APPCERT001',
      holderName: '改名',
      idNumber: '45010219800512001X',
      level: 'senior_full',
    };
    const e2 = event(2, { action: 'approve', toStatus: 'approved', opinion: `同意${RARE}`, data: { n: 1, list: ['一', null] }, role: 'authority' });
    await apps.transition(a, change, e2, '2026-11-28T00:00:00.000Z', 'key-2');
    const moved = await apps.find('AP_move');
    expect(moved).toEqual({
      ...a,
      status: 'approved',
      version: 2,
      holderCode: 'GXZGB',
      form: form('改名'),
      eligibility: { ...assessment, decision: 'employer_decides' },
      employerChoice: 're_evaluate',
      notice: { start: '2026-11-21', end: '2026-11-27', provisional: true, dataVersion: `2026-v1${RARE}` },
      returned: { to: 'unit_review', reason: `材料不全${HOSTILE}` },
      decision: { number: '桂职办〔2026〕15号', decidedOn: '2026-11-28' },
      certificateNumber: '26APPCERT001',
      holderName: '改名',
      idNumber: '45010219800512001X',
      level: 'senior_full',
      updatedAt: '2026-11-28T00:00:00.000Z',
    });
    // Clearing with null; fields not named stay.
    await apps.transition(moved!, { status: 'issued', notice: null, returned: null, decision: null, employerChoice: null, certificateNumber: null }, event(3, { toStatus: 'issued' }), 't3', null);
    expect(await apps.find('AP_move')).toEqual({ ...moved, status: 'issued', version: 3, notice: null, returned: null, decision: null, employerChoice: null, certificateNumber: null, updatedAt: 't3' });
    expect((await apps.events('AP_move')).map((e) => [e.seq, e.action, e.opinion])).toEqual([
      [1, 'create', null],
      [2, 'approve', `同意${RARE}`],
      [3, 'step', null],
    ]);
    expect((await apps.events('AP_move'))[1]).toEqual(e2);
  });

  it('a transition from a stale version is a ConstraintError and writes nothing (no event, no extra row)', async () => {
    const a = await create('AP_stale');
    await apps.transition(a, { status: 'submitted' }, event(2, { toStatus: 'submitted' }), 't2', null);
    const audit = new AuditRepository(store.driver);
    const extra = [audit.statement({ at: 't', orgCode: 'UNIT1', personId: 'P_gx', role: 'applicant', action: 'stale', subject: 'application:AP_stale', detail: {} })];
    await expect(apps.transition(a, { status: 'withdrawn' }, event(2, { toStatus: 'withdrawn' }), 't3', null, extra)).rejects.toBeInstanceOf(ConstraintError);
    expect(await apps.find('AP_stale')).toMatchObject({ status: 'submitted', version: 2, updatedAt: 't2' });
    expect((await apps.events('AP_stale')).map((e) => e.toStatus)).toEqual(['draft', 'submitted']);
    expect(await audit.list({ orgCodes: ['UNIT1'], subject: 'application:AP_stale', afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it('24 transitions racing from one version: exactly one lands', async () => {
    const a = await create('AP_race');
    const outcomes = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => apps.transition(a, { status: 'submitted', holderName: `赢家${i}` }, event(2, { toStatus: 'submitted', opinion: `${i}` }), `t${i}`, null)));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConstraintError);
    expect(await apps.find('AP_race')).toMatchObject({ version: 2, holderName: `赢家${won[0]}` });
    expect((await apps.events('AP_race')).map((e) => e.opinion)).toEqual([null, `${won[0]}`]);
  });

  it('recomputes the notice end only at the version it read', async () => {
    const a = await create('AP_notice');
    await apps.transition(a, { status: 'public_notice', notice: { start: '2026-12-28', end: '2027-01-05', provisional: true, dataVersion: 'v1' } }, event(2), 't2', null);
    await apps.recomputeNotice('AP_notice', 2, { start: 'ignored', end: '2027-01-06', provisional: false, dataVersion: 'v2' });
    expect((await apps.find('AP_notice'))?.notice).toEqual({ start: '2026-12-28', end: '2027-01-06', provisional: false, dataVersion: 'v2' });
    await apps.recomputeNotice('AP_notice', 1, { start: 'x', end: '2099-01-01', provisional: true, dataVersion: 'stale' });
    expect((await apps.find('AP_notice'))?.notice?.end).toBe('2027-01-06');
  });

  it('keeps hostile and very long text verbatim in the form, the names and the opinion', async () => {
    const a = await create('AP_hostile', { holderName: HOSTILE, form: form(LONG) });
    expect(await apps.find('AP_hostile')).toEqual(a);
    await apps.transition(a, { status: 'submitted' }, event(2, { opinion: LONG, data: { q: HOSTILE } }), 't', null);
    expect((await apps.events('AP_hostile'))[1]).toMatchObject({ opinion: LONG, data: { q: HOSTILE } });
  });
});

describe('ApplicationRepository: idempotency', () => {
  it('finds an applicant\'s earlier create by key; the same key again is a ConstraintError; another applicant\'s key is another', async () => {
    await create('AP_idem1', {}, `键${RARE}`);
    expect(await apps.findIdempotent('P_gx', `键${RARE}`)).toEqual({ id: 'AP_idem1', requestHash: `hash-键${RARE}` });
    expect(await apps.findIdempotent('P_u2', `键${RARE}`)).toBeUndefined();
    await expect(create('AP_idem2', {}, `键${RARE}`)).rejects.toBeInstanceOf(ConstraintError);
    expect(await apps.find('AP_idem2')).toBeUndefined();
    await create('AP_idem3', { applicantId: 'P_u2', unitCode: 'UNIT2', holderCode: 'UNIT2' }, `键${RARE}`);
    expect(await apps.findIdempotent('P_u2', `键${RARE}`)).toEqual({ id: 'AP_idem3', requestHash: `hash-键${RARE}` });
    // Creates without a key never collide.
    await create('AP_nokey1');
    await create('AP_nokey2');
  });

  it('finds the event an earlier try of a step wrote, by case, person and key', async () => {
    const a = await create('AP_stepkey');
    const e2 = event(2, { action: 'submit', toStatus: 'submitted', data: { k: '值' } });
    await apps.transition(a, { status: 'submitted' }, e2, 't2', 'step-key');
    expect(await apps.findEventByKey('AP_stepkey', 'P_gx', 'step-key')).toEqual(e2);
    expect(await apps.findEventByKey('AP_stepkey', 'P_u2', 'step-key')).toBeUndefined();
    expect(await apps.findEventByKey('AP_full', 'P_gx', 'step-key')).toBeUndefined();
  });
});

describe('ApplicationRepository: list', () => {
  beforeAll(async () => {
    // Ten cases of UNIT2 by P_u2, updated at distinct times; two share a time (ordered by id then).
    for (let i = 0; i < 10; i++) {
      const at = `2026-12-${String(10 + (i === 9 ? 8 : i)).padStart(2, '0')}T00:00:00.000Z`;
      await create(`LIST_${i}`, { applicantId: 'P_u2', unitCode: 'UNIT2', holderCode: i < 5 ? 'UNIT2' : 'NNZGB', authorityCode: 'NNZGB', status: i % 3 === 0 ? 'submitted' : 'draft', updatedAt: at, createdAt: at });
    }
  });

  it('orders by the latest change first (then id) and pages with a total', async () => {
    const page1 = await apps.list({ applicantId: 'P_u2', unitCode: 'UNIT2', limit: 4, offset: 0 });
    expect(page1.total).toBe(10 + 1); // AP_idem3 too
    expect(page1.items.map((a) => a.id)).toEqual(['LIST_8', 'LIST_9', 'LIST_7', 'LIST_6']);
    const page3 = await apps.list({ applicantId: 'P_u2', unitCode: 'UNIT2', limit: 4, offset: 8 });
    expect(page3.items.map((a) => a.id)).toEqual(['LIST_1', 'LIST_0', 'AP_idem3']);
    expect((await apps.list({ applicantId: 'P_u2', limit: 4, offset: 12 })).items).toEqual([]);
  });

  it('filters by holder, unit, applicant and status; another organisation\'s read finds none', async () => {
    expect((await apps.list({ holderCode: 'NNZGB', limit: 50, offset: 0 })).items.map((a) => a.id)).toEqual(['LIST_8', 'LIST_9', 'LIST_7', 'LIST_6', 'LIST_5']);
    expect((await apps.list({ unitCode: 'UNIT2', status: 'submitted', limit: 50, offset: 0 })).items.map((a) => a.id)).toEqual(['LIST_9', 'LIST_6', 'LIST_3', 'LIST_0']);
    expect((await apps.list({ holderCode: 'HNZGB', limit: 50, offset: 0 })).total).toBe(0);
    expect((await apps.list({ unitCode: "UNIT2' OR '1'='1", limit: 50, offset: 0 })).total).toBe(0);
    const unit1 = await apps.list({ unitCode: 'UNIT1', limit: 1000, offset: 0 });
    expect(unit1.items.some((a) => a.id.startsWith('LIST_'))).toBe(false);
  });

  it('by route: cases whose unit, authority or history passes through the organisations; an empty route finds none', async () => {
    const a = await create('AP_route', { applicantId: 'P_gx' });
    expect((await apps.list({ routeCodes: ['HNZGB'], limit: 50, offset: 0 })).total).toBe(0);
    await apps.transition(a, { status: 'department_review' }, event(2, { org: { code: 'HNZGB', name: '湖南' } }), '2027-06-01T00:00:00.000Z', null);
    expect((await apps.list({ routeCodes: ['HNZGB'], limit: 50, offset: 0 })).items.map((x) => x.id)).toEqual(['AP_route']);
    // UNIT2's cases whose authority is NNZGB (AP_idem3's authority is GXZGB, but its unit UNIT2 is not on this route).
    expect((await apps.list({ routeCodes: ['NNZGB'], unitCode: 'UNIT2', limit: 50, offset: 0 })).total).toBe(10);
    expect((await apps.list({ routeCodes: ['UNIT2'], limit: 50, offset: 0 })).total).toBe(11);
    expect(await apps.list({ routeCodes: [], limit: 50, offset: 0 })).toEqual({ items: [], total: 0 });
  });
});

describe('ApplicationRepository: materials, objections, linked 核实 records', () => {
  it('materials round-trip in upload order; a material of an unknown file is a ConstraintError', async () => {
    await create('AP_mat');
    const bytes = new Uint8Array([1, 2, 3]);
    const sha = await sha256Hex(bytes);
    const m = (id: string, at: string): Material => ({ id, item: 'original_certificate', filename: `证书${RARE} ${HOSTILE}.pdf`, sha256: sha, mediaType: 'application/pdf', size: 3, uploadedBy: 'P_gx', orgCode: 'UNIT1', uploadedAt: at });
    await store.driver.batch([...(await new VerificationRecordRepository(store.driver, store.blobs).storeFiles([{ sha256: sha, mediaType: 'application/pdf', bytes }])), apps.materialStatement('AP_mat', m('M2', 't2')), apps.materialStatement('AP_mat', m('M1', 't1')), apps.materialStatement('AP_mat', m('M3', 't2'))]);
    expect(await apps.materials('AP_mat')).toEqual([m('M1', 't1'), m('M2', 't2'), m('M3', 't2')]);
    expect(await apps.materials('AP_full')).toEqual([]);
    await expect(store.driver.batch([apps.materialStatement('AP_mat', { ...m('M4', 't3'), sha256: 'f'.repeat(64) })])).rejects.toBeInstanceOf(ConstraintError);
    expect((await apps.materials('AP_mat')).map((x) => x.id)).toEqual(['M1', 'M2', 'M3']);
  });

  it('objections round-trip in lodging order; a resolution is written once', async () => {
    await create('AP_obj');
    const o = (id: string, at: string): Objection => ({ id, receivedOn: '2026-11-22', text: `异议${RARE}${LONG.slice(0, 1000)}`, lodgedBy: 'P_gx', lodgedAt: at, resolution: null });
    await store.driver.batch([apps.objectionStatement('AP_obj', o('O2', 't2')), apps.objectionStatement('AP_obj', o('O1', 't1'))]);
    const first = { text: `不成立${RARE}`, upheld: false, by: 'P_gx', at: 't3' };
    expect(await store.driver.batch([apps.resolveObjectionStatement('AP_obj', 'O1', first)])).toEqual([{ changes: 1 }]);
    expect(await store.driver.batch([apps.resolveObjectionStatement('AP_obj', 'O1', { text: '改判', upheld: true, by: 'P_nn', at: 't4' })])).toEqual([{ changes: 0 }]);
    expect(await store.driver.batch([apps.resolveObjectionStatement('AP_full', 'O2', first)])).toEqual([{ changes: 0 }]); // another case's objection id
    expect(await apps.objections('AP_obj')).toEqual([{ ...o('O1', 't1'), resolution: first }, o('O2', 't2')]);
  });

  it('lists the 核实 records linked to the case, oldest first, each with the record that corrects it', async () => {
    await create('AP_vr');
    const records = new VerificationRecordRepository(store.driver, store.blobs);
    const draft = (id: string, extra: Partial<VerificationRecordDraft> = {}): VerificationRecordDraft => ({
      id, orgCode: 'GXZGB',
      subject: { holderName: '䶮', idNumber: '450102198005120019', titleName: `高级工程师${RARE}`, evaluatingBody: '湖南省评委会', acquiredOn: '2015-12-30', certificateNumber: undefined },
      details: { method: 'other', other: { description: '现场' } },
      checkedAt: '2026-11-20T10:30:00+08:00', result: 'genuine', record: '记录', handler: { name: '赵六' }, recordedOn: '2026-11-20', createdAt: T0, writtenBy: 'tok_gx',
      applicationId: 'AP_vr', ...extra,
    });
    await records.append(draft('vr_a'), []);
    await records.append(draft('vr_other_case', { applicationId: 'AP_full' }), []);
    await records.append(draft('vr_b', { result: 'unverifiable' }), []);
    await records.append(draft('vr_a_fix', { supersedes: { id: 'vr_a', reason: '更正' } }), []);
    expect(await apps.verificationRecords('AP_vr')).toEqual([
      { id: 'vr_a', orgCode: 'GXZGB', method: 'other', result: 'genuine', checkedAt: '2026-11-20T10:30:00+08:00', handlerName: '赵六', supersededBy: 'vr_a_fix', titleName: `高级工程师${RARE}`, evaluatingBody: '湖南省评委会', acquiredOn: '2015-12-30' },
      expect.objectContaining({ id: 'vr_b', result: 'unverifiable', supersededBy: null }),
      expect.objectContaining({ id: 'vr_a_fix', supersededBy: null }),
    ]);
    expect(await apps.verificationRecords('AP_none')).toEqual([]);
  });
});

describe('ApplicationRepository: concurrency', () => {
  it('40 cases created and each moved once, all at once: none lost, the history one linked chain', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `AP_burst_${String(i).padStart(2, '0')}`);
    const created = await Promise.allSettled(ids.map((id) => create(id)));
    expect(created.filter((o) => o.status === 'rejected')).toEqual([]);
    const moved = await Promise.allSettled(ids.map((id) => apps.transition(application(id), { status: 'submitted' }, event(2, { toStatus: 'submitted' }), 't', null)));
    expect(moved.filter((o) => o.status === 'rejected')).toEqual([]);
    for (const id of ids) expect(await apps.find(id)).toMatchObject({ status: 'submitted', version: 2 });
    const rows = store.db.prepare('SELECT log_seq, prev_hash, hash FROM application_events ORDER BY log_seq').all() as { log_seq: number; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.log_seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it('refuses to change or delete a history event', () => {
    expect(() => store.db.prepare("UPDATE application_events SET opinion = 'x' WHERE log_seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM application_events WHERE log_seq = 1').run()).toThrow(/append-only/);
  });
});
