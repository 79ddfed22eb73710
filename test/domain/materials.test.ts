/**
 * The two materials gates (notice 二(三)) as a table: the applicant's own materials before submitting to the
 * unit (二(三)1), everything — with the request document and the verification record (二(三)2) — before the
 * case is sent on; the online-verification waiver (二(三)1(2)) and a verification record standing in for
 * proof that truly cannot be supplied (四(三)). Checklists come from materialsFor (domain/eligibility.ts).
 */
import { describe, expect, it } from 'vitest';
import { assessEligibility, materialsFor, type EligibilityInput, type Reason } from '../../src/domain/eligibility.js';
import type { Level } from '../../src/domain/levels.js';
import { missingMaterials, type MaterialsGate, type MaterialsOnFile } from '../../src/domain/materials.js';

type Patch = {
  title?: Partial<EligibilityInput['title']>;
  obtained?: Partial<EligibilityInput['obtained']>;
  employment?: Partial<EligibilityInput['employment']>;
  onlineVerification?: boolean;
};

/** An outside senior engineer at an enterprise (the example), as in eligibility.test.ts. */
function body(patch: Patch = {}): EligibilityInput {
  return {
    title: { series: 'engineering', name: '高级工程师', ...patch.title },
    obtained: { region: 'outside', place: '湖南省', method: 'evaluation', on: '2015-12-30', committee: { name: '湖南省工程技术高级职务评审委员会', filed: true }, ...patch.obtained },
    employment: { since: '2022-01-01', personnelTransferred: true, socialInsurance: true, employerKind: 'enterprise', currentSeries: 'engineering', ...patch.employment },
    employerChoice: null,
    onlineVerification: patch.onlineVerification ?? false,
  };
}

/** What the applicant supplies in the ordinary case (二(三)1(2)–(4)). */
const APPLICANT_FILES = ['original_title_proof', 'employment_proof', 'photo'];
/** … and what the unit adds before the case goes on (二(三)2). */
const ALL_FILES = [...APPLICANT_FILES, 'request_document'];

function onFile(uploaded: readonly string[], patch: Partial<Omit<MaterialsOnFile, 'uploaded'>> = {}): MaterialsOnFile {
  return { uploaded: new Set(uploaded), onlineVerificationUrl: false, originalProofUnavailable: false, genuineVerificationRecords: 0, ...patch };
}

const without = (files: readonly string[], ...drop: string[]) => files.filter((f) => !drop.includes(f));

/**
 * The verification record's reason is matched by code only here: the clause it cites is checked on its own
 * below (see "the missing verification record cites …").
 */
const RECORD = '*:missing_verification_record';
const pairs = (reasons: readonly Reason[]) => reasons.map((r) => `${r.code === 'missing_verification_record' ? '*' : r.clause}:${r.code}`);

interface Case {
  name: string;
  input: EligibilityInput;
  level: Level;
  onFile: MaterialsOnFile;
  gate: MaterialsGate;
  /** Exactly these `clause:code` reasons, in any order. */
  missing: string[];
}

const SENIOR: Level = 'senior_associate';
const online = body({ onlineVerification: true });
const institution = body({ employment: { employerKind: 'institution' } });
const centralSenior = body({ obtained: { region: 'central' } });
const centralIntermediate = body({ title: { name: '工程师' }, obtained: { region: 'central' } });
const ONLINE_COMMITTEE = { name: '中国石油天然气集团公司工程技术评审委员会', filed: true, onlineQueryUrl: 'https://example.gov.cn/committees/123' };
const centralIntermediateOnline = body({ title: { name: '工程师' }, obtained: { region: 'central', committee: ONLINE_COMMITTEE } });

const cases: Case[] = [
  // the submit gate (二(三)1): the applicant's own materials
  {
    name: 'submit: nothing uploaded — the applicant’s three items, nothing of the unit’s',
    input: body(),
    level: SENIOR,
    onFile: onFile([]),
    gate: 'submit',
    missing: ['二(三)1(2):missing_original_title_proof', '二(三)1(3):missing_employment_proof', '二(三)1(4):missing_photo'],
  },
  { name: 'submit: the applicant’s items suffice (no request document, no verification record yet)', input: body(), level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  { name: 'submit: photo missing', input: body(), level: SENIOR, onFile: onFile(without(APPLICANT_FILES, 'photo')), gate: 'submit', missing: ['二(三)1(4):missing_photo'] },
  { name: 'submit: employment proof missing', input: body(), level: SENIOR, onFile: onFile(without(APPLICANT_FILES, 'employment_proof')), gate: 'submit', missing: ['二(三)1(3):missing_employment_proof'] },
  { name: 'submit: original proof missing', input: body(), level: SENIOR, onFile: onFile(without(APPLICANT_FILES, 'original_title_proof')), gate: 'submit', missing: ['二(三)1(2):missing_original_title_proof'] },
  { name: 'submit: an uploaded request document is not asked for but does no harm', input: body(), level: SENIOR, onFile: onFile(ALL_FILES), gate: 'submit', missing: [] },
  // 二(三)1(2): the online verification route waives the original proof, then needs its address and screenshot
  { name: 'submit, online route: no address given', input: online, level: SENIOR, onFile: onFile(without(APPLICANT_FILES, 'original_title_proof')), gate: 'submit', missing: ['二(三)1(2):missing_online_verification_route'] },
  {
    name: 'submit, online route: a screenshot without an address is not enough',
    input: online,
    level: SENIOR,
    onFile: onFile([...without(APPLICANT_FILES, 'original_title_proof'), 'online_verification_screenshot']),
    gate: 'submit',
    missing: ['二(三)1(2):missing_online_verification_route'],
  },
  {
    name: 'submit, online route: address without the screenshot',
    input: online,
    level: SENIOR,
    onFile: onFile(without(APPLICANT_FILES, 'original_title_proof'), { onlineVerificationUrl: true }),
    gate: 'submit',
    missing: ['二(三)1(2):missing_online_verification_screenshot'],
  },
  {
    name: 'submit, online route: address and screenshot waive the original proof',
    input: online,
    level: SENIOR,
    onFile: onFile([...without(APPLICANT_FILES, 'original_title_proof'), 'online_verification_screenshot'], { onlineVerificationUrl: true }),
    gate: 'submit',
    missing: [],
  },
  {
    name: 'submit: an address and screenshot waive nothing unless the online route was chosen',
    input: body(),
    level: SENIOR,
    onFile: onFile([...without(APPLICANT_FILES, 'original_title_proof'), 'online_verification_screenshot'], { onlineVerificationUrl: true }),
    gate: 'submit',
    missing: ['二(三)1(2):missing_original_title_proof'],
  },
  // 四(三): original proof that truly cannot be supplied passes the applicant's gate, to be verified later
  {
    name: 'submit: original proof declared unavailable passes',
    input: body(),
    level: SENIOR,
    onFile: onFile(without(APPLICANT_FILES, 'original_title_proof'), { originalProofUnavailable: true }),
    gate: 'submit',
    missing: [],
  },
  // 二(三)1(3): the social insurance record is never asked of the applicant
  { name: 'submit: enterprise staff, nothing about social insurance', input: body(), level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  { name: 'submit: institution staff, same items', input: institution, level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  // 二(三)1(5): central-government titles need the committee's filing
  { name: 'submit: central senior without the ministry filing', input: centralSenior, level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: ['二(三)1(5):missing_committee_ministry_filing_proof'] },
  { name: 'submit: central senior full without the ministry filing', input: body({ title: { name: '正高级工程师' }, obtained: { region: 'central' } }), level: 'senior_full', onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: ['二(三)1(5):missing_committee_ministry_filing_proof'] },
  {
    name: 'submit: central senior — an ordinary filing proof is not the ministry filing',
    input: centralSenior,
    level: SENIOR,
    onFile: onFile([...APPLICANT_FILES, 'committee_filing_proof']),
    gate: 'submit',
    missing: ['二(三)1(5):missing_committee_ministry_filing_proof'],
  },
  { name: 'submit: central senior with the ministry filing', input: centralSenior, level: SENIOR, onFile: onFile([...APPLICANT_FILES, 'committee_ministry_filing_proof']), gate: 'submit', missing: [] },
  { name: 'submit: central intermediate without the committee filing', input: centralIntermediate, level: 'intermediate', onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: ['二(三)1(5):missing_committee_filing_proof'] },
  { name: 'submit: central intermediate with the committee filing', input: centralIntermediate, level: 'intermediate', onFile: onFile([...APPLICANT_FILES, 'committee_filing_proof']), gate: 'submit', missing: [] },
  // 二(三)1(5) "或在线查询途径" (issue 13 item 9): the web address given with the committee replaces the filing proof
  { name: 'submit: central intermediate with an online query route for the committee, no filing proof (failed before)', input: centralIntermediateOnline, level: 'intermediate', onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  { name: 'forward: central intermediate with an online query route, no filing proof (failed before)', input: centralIntermediateOnline, level: 'intermediate', onFile: onFile(ALL_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: [] },
  { name: 'submit: central junior with an online query route, no filing proof (failed before)', input: body({ title: { name: '技术员' }, obtained: { region: 'central', committee: ONLINE_COMMITTEE } }), level: 'junior', onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  { name: 'submit: central senior with an online query route still needs the ministry filing', input: body({ obtained: { region: 'central', committee: ONLINE_COMMITTEE } }), level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: ['二(三)1(5):missing_committee_ministry_filing_proof'] },
  { name: 'submit: a military title needs no committee filing', input: body({ obtained: { region: 'military' } }), level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },
  { name: 'submit: an outside title needs no committee filing', input: body({ title: { name: '工程师' } }), level: 'intermediate', onFile: onFile(APPLICANT_FILES), gate: 'submit', missing: [] },

  // the forward gate (二(三)2): everything, with the unit's request document and the verification record
  { name: 'forward: everything on file', input: body(), level: SENIOR, onFile: onFile(ALL_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: [] },
  { name: 'forward: no request document', input: body(), level: SENIOR, onFile: onFile(APPLICANT_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: ['二(三)2:missing_request_document'] },
  { name: 'forward: no verification record', input: body(), level: SENIOR, onFile: onFile(ALL_FILES), gate: 'forward', missing: [RECORD] },
  { name: 'forward: neither of the unit’s items', input: body(), level: SENIOR, onFile: onFile(APPLICANT_FILES), gate: 'forward', missing: ['二(三)2:missing_request_document', RECORD] },
  {
    name: 'forward: the applicant’s items are still required',
    input: body(),
    level: SENIOR,
    onFile: onFile(without(ALL_FILES, 'employment_proof', 'photo'), { genuineVerificationRecords: 1 }),
    gate: 'forward',
    missing: ['二(三)1(3):missing_employment_proof', '二(三)1(4):missing_photo'],
  },
  {
    name: 'forward: nothing at all — social insurance still not asked',
    input: body(),
    level: SENIOR,
    onFile: onFile([]),
    gate: 'forward',
    missing: ['四(三):missing_original_title_proof', '二(三)1(3):missing_employment_proof', '二(三)1(4):missing_photo', '二(三)2:missing_request_document', RECORD],
  },
  // 四(三): unavailable original proof needs a genuine verification record before the case goes on
  {
    name: 'forward: original proof unavailable and not yet verified',
    input: body(),
    level: SENIOR,
    onFile: onFile(without(ALL_FILES, 'original_title_proof'), { originalProofUnavailable: true }),
    gate: 'forward',
    missing: ['四(三):missing_original_title_proof', RECORD],
  },
  {
    name: 'forward: original proof unavailable, verified by a genuine record',
    input: body(),
    level: SENIOR,
    onFile: onFile(without(ALL_FILES, 'original_title_proof'), { originalProofUnavailable: true, genuineVerificationRecords: 1 }),
    gate: 'forward',
    missing: [],
  },
  {
    name: 'forward: what the department verified need not be supplied, declared unavailable or not',
    input: body(),
    level: SENIOR,
    onFile: onFile(without(ALL_FILES, 'original_title_proof'), { genuineVerificationRecords: 2 }),
    gate: 'forward',
    missing: [],
  },
  {
    name: 'forward: original proof on file still needs the verification record',
    input: body(),
    level: SENIOR,
    onFile: onFile(ALL_FILES, { originalProofUnavailable: true }),
    gate: 'forward',
    missing: [RECORD],
  },
  // 二(三)1(2) at the forward gate
  {
    name: 'forward, online route: address and screenshot, verified',
    input: online,
    level: SENIOR,
    onFile: onFile([...without(ALL_FILES, 'original_title_proof'), 'online_verification_screenshot'], { onlineVerificationUrl: true, genuineVerificationRecords: 1 }),
    gate: 'forward',
    missing: [],
  },
  {
    name: 'forward, online route: screenshot still missing',
    input: online,
    level: SENIOR,
    onFile: onFile(without(ALL_FILES, 'original_title_proof'), { onlineVerificationUrl: true, genuineVerificationRecords: 1 }),
    gate: 'forward',
    missing: ['二(三)1(2):missing_online_verification_screenshot'],
  },
  {
    name: 'forward, online route: the waived original proof is not asked for even without a record',
    input: online,
    level: SENIOR,
    onFile: onFile([...without(ALL_FILES, 'original_title_proof'), 'online_verification_screenshot'], { onlineVerificationUrl: true }),
    gate: 'forward',
    missing: [RECORD],
  },
  { name: 'forward: central senior without the ministry filing', input: centralSenior, level: SENIOR, onFile: onFile(ALL_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: ['二(三)1(5):missing_committee_ministry_filing_proof'] },
  { name: 'forward: central intermediate without the committee filing', input: centralIntermediate, level: 'intermediate', onFile: onFile(ALL_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: ['二(三)1(5):missing_committee_filing_proof'] },
  { name: 'forward: institution staff, everything on file', input: institution, level: SENIOR, onFile: onFile(ALL_FILES, { genuineVerificationRecords: 1 }), gate: 'forward', missing: [] },
];

describe('missingMaterials: the submit and forward gates (二(三), 四(三))', () => {
  it.each(cases)('$name', (c) => {
    const reasons = missingMaterials(materialsFor(c.input, c.level), c.onFile, c.gate);
    expect(pairs(reasons).sort()).toEqual([...c.missing].sort());
    for (const r of reasons) {
      expect(r.code).toMatch(/^missing_/);
      expect(r.message.zh).toMatch(/^缺少\p{Script=Han}/u);
      expect(r.message.en).toMatch(/^Missing: [A-Z]/);
    }
  });

  it('the checklist of an eligible case is materialsFor at its level', () => {
    const assessment = assessEligibility(centralSenior, '2026-11-28');
    expect(assessment.level).toBe(SENIOR);
    expect(assessment.materials).toEqual(materialsFor(centralSenior, SENIOR));
  });

  it('二(三)1(3): the social insurance record is never required, at either gate, with nothing on file', () => {
    const checklist = materialsFor(body(), SENIOR);
    expect(checklist.find((m) => m.item === 'social_insurance_record')).toMatchObject({ required: false, waived: true });
    for (const gate of ['submit', 'forward'] as const) {
      expect(missingMaterials(checklist, onFile([]), gate).map((r) => r.code)).not.toContain('missing_social_insurance_record');
    }
  });

  it('二(三)2: the request document and the verification record only at the forward gate', () => {
    const checklist = materialsFor(body(), SENIOR);
    const codes = (gate: MaterialsGate) => missingMaterials(checklist, onFile(APPLICANT_FILES), gate).map((r) => r.code);
    expect(codes('submit')).toEqual([]);
    expect(codes('forward')).toEqual(['missing_request_document', 'missing_verification_record']);
  });

  it('四(三): at the forward gate the missing original proof says the submitting department must verify it', () => {
    const [reason] = missingMaterials(materialsFor(body(), SENIOR), onFile(without(ALL_FILES, 'original_title_proof'), { originalProofUnavailable: true, genuineVerificationRecords: 0 }), 'forward');
    expect(reason).toMatchObject({ clause: '四(三)', code: 'missing_original_title_proof' });
    expect(reason?.message.zh).toContain('核实情况记录单');
    expect(reason?.message.en).toContain('verify');
  });

  it('the checklist lists the verification record under 二(三)2, the clause that asks the unit and department for it', () => {
    expect(materialsFor(body(), SENIOR).find((m) => m.item === 'verification_record')?.clause).toBe('二(三)2');
  });

  // Source bug (src/domain/materials.ts, `case 'verification_record'`): the reason cites 四(三) — the clause for
  // original proof that cannot be supplied — while the record is required of every case by 二(三)2, as the
  // checklist entry and the module's own header say. Remove `.fails` when the reason cites entry.clause.
  it('the missing verification record cites 二(三)2, even when the original proof is on file', () => {
    const reasons = missingMaterials(materialsFor(body(), SENIOR), onFile(ALL_FILES), 'forward');
    expect(reasons).toEqual([expect.objectContaining({ code: 'missing_verification_record', clause: '二(三)2' })]);
  });
});
