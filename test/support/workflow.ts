/**
 * The organisations and people of a reconfirmation, set up on a running server the way an operator does:
 * the CLI makes the region title office and its first admin, that admin places the rest through the API.
 *
 *   GXZGB 自治区职改办 (region title office; confirms senior)
 *   ├── NNZGB 南宁市职改办 (city title office; confirms intermediate/assistant/junior)
 *   │   └── NNJTJ 南宁市交通运输局 (competent department)
 *   │       └── NNLQ01 南宁路桥工程有限公司 (unit)
 *   ├── GXJTT 自治区交通运输厅 (department-level HR office)
 *   │   └── GXJT01 广西交通设计院 (unit)
 *   └── GXQY01 广西某直属企业 (unit directly under the region office: may not submit a senior case, 二(二)3)
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type RunningServer } from './server.js';

export interface Person {
  token: string;
  id: string;
  name: string;
}

export const ORGANISATIONS = [
  { code: 'NNZGB', name: '南宁市职称改革工作领导小组办公室', kind: 'city_title_office', parentCode: 'GXZGB' },
  { code: 'NNJTJ', name: '南宁市交通运输局', kind: 'competent_department', parentCode: 'NNZGB' },
  { code: 'NNLQ01', name: '南宁路桥工程有限公司', kind: 'unit', parentCode: 'NNJTJ' },
  { code: 'GXJTT', name: '广西壮族自治区交通运输厅', kind: 'department_hr_office', parentCode: 'GXZGB' },
  { code: 'GXJT01', name: '广西交通设计院', kind: 'unit', parentCode: 'GXJTT' },
  { code: 'GXQY01', name: '广西某直属企业有限公司', kind: 'unit', parentCode: 'GXZGB' },
] as const;

export interface Staff {
  admin: Person;
  applicant: Person;
  unitHr: Person;
  departmentReviewer: Person;
  cityStaff: Person;
  handler: Person;
  approver: Person;
  cityApprover: Person;
  auditor: Person;
}

export async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 300)}`);
  }
}

/** A client bound to one person and, optionally, a test-clock time (X-Ecert-Test-Now). */
export function client(server: RunningServer, person: Person | null) {
  return async (method: string, path: string, body?: unknown, options: { now?: string; key?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (person) headers.Authorization = `Bearer ${person.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.now) headers['X-Ecert-Test-Now'] = options.now;
    if (options.key) headers['Idempotency-Key'] = options.key;
    return (server.fetch ?? fetch)(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}

export async function addPerson(server: RunningServer, admin: Person, orgCode: string, role: string, name: string): Promise<Person> {
  const res = await client(server, admin)('POST', '/api/v1/people', { orgCode, role, name });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`add person ${role}@${orgCode}: ${res.status} ${JSON.stringify(body)}`);
  return { token: body.token, id: body.person.id, name };
}

/**
 * An organisation written straight into the database, as a tree from before the rank rule
 * (domain/ranks.ts) may still hold one — the API and the CLI refuse to place it.
 */
export function placeLegacyOrganisation(server: RunningServer, org: { code: string; name: string; kind: string; parentCode: string | null }): void {
  const db = new Database(server.dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('INSERT INTO organisations (code, name, kind, parent_code, created_at) VALUES (?, ?, ?, ?, ?)').run(org.code, org.name, org.kind, org.parentCode, new Date().toISOString());
  } finally {
    db.close();
  }
}

/** The tree above and one person for each role of the journey. */
export async function setUpWorkflow(server: RunningServer): Promise<Staff> {
  const placed = await server.cli(['org', 'add', '--code', 'GXZGB', '--name', '广西壮族自治区职称改革工作领导小组办公室', '--kind', 'region_title_office']);
  if (placed.code !== 0) throw new Error(`org add failed: ${placed.stderr}`);
  const admin: Person = { token: await server.token('GXZGB', 'admin'), id: '', name: 'admin@GXZGB' };
  const post = client(server, admin);
  for (const org of ORGANISATIONS) {
    const res = await post('POST', '/api/v1/organisations', org);
    if (res.status !== 200) throw new Error(`organisation ${org.code}: ${res.status} ${await res.text()}`);
  }
  return {
    admin,
    applicant: await addPerson(server, admin, 'NNLQ01', 'applicant', '李四'),
    unitHr: await addPerson(server, admin, 'NNLQ01', 'unit_hr', '周敏'),
    departmentReviewer: await addPerson(server, admin, 'NNJTJ', 'department_reviewer', '吴刚'),
    cityStaff: await addPerson(server, admin, 'NNZGB', 'title_office_staff', '郑丽'),
    handler: await addPerson(server, admin, 'NNJTJ', 'handler', '赵六'),
    approver: await addPerson(server, admin, 'GXZGB', 'authority_approver', '王五'),
    cityApprover: await addPerson(server, admin, 'NNZGB', 'authority_approver', '孙七'),
    auditor: await addPerson(server, admin, 'GXZGB', 'auditor', '冯审'),
  };
}

/** 李四's case: a senior engineer's title from Hunan, in Guangxi since 2022 (the issue's example). */
export function applicationForm(overrides: { idNumber?: string; name?: string; gender?: 'male' | 'female'; titleName?: string; onlineVerification?: boolean } = {}) {
  return {
    eligibility: {
      title: { series: 'engineering', name: overrides.titleName ?? '高级工程师' },
      obtained: { region: 'outside', place: '湖南省', method: 'evaluation', on: '2015-12-30', committee: { name: '湖南省工程技术高级职务评审委员会', filed: true } },
      employment: { since: '2022-01-01', personnelTransferred: true, socialInsurance: true, employerKind: 'enterprise', currentSeries: 'engineering' },
      employerChoice: null,
      onlineVerification: overrides.onlineVerification ?? false,
    },
    applicant: {
      name: overrides.name ?? '李四',
      gender: overrides.gender ?? 'female',
      idType: 'resident_id_card',
      idNumber: overrides.idNumber ?? '450103198501010026',
      education: '大学本科（工学学士）',
      graduation: { on: '2007-07', school: '湖南大学', major: '电气工程及其自动化' },
      workStartedOn: '2007-07',
      originalEmployer: '湖南省电力设计院',
      originalWork: '电力工程设计',
      currentWork: '桥梁电气工程设计',
      personnelFileHolder: '南宁市人才服务中心',
    },
    specialty: '电气工程',
    originalCertificateNumber: 'HN2015-00123',
    workHistory: [
      { from: '2007-07', to: '2021-12', place: '湖南省长沙市 湖南省电力设计院', work: '电力工程设计', post: '主任工程师' },
      { from: '2022-01', to: null, place: '广西南宁市 南宁路桥工程有限公司', work: '桥梁电气工程设计', post: '总工程师' },
    ],
    workSummary: '进入本单位以来，负责南宁市多座跨江大桥的电气与照明系统设计，主持完成邕江大桥照明改造工程。',
    onlineVerificationUrl: overrides.onlineVerification ? 'https://rst.hunan.gov.cn/zcgl/cx' : null,
    originalProofUnavailable: null,
  };
}

export const PNG_PHOTO = `data:image/png;base64,${readFileSync(join(ROOT, 'test/fixtures/photo.png')).toString('base64')}`;

/** A small well-formed PDF (a scanned certificate copy, a contract). */
export function pdfDataUrl(note: string): string {
  const pdf = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${note}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return `data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`;
}

/**
 * The department's record of an enterprise employee's social insurance (二(三)1(3)), which a forward by a
 * department (or a unit sending straight to the authority) needs on a case like 李四's.
 */
export function socialInsuranceCheck(checkedOn: string) {
  return { method: 'system', result: 'confirmed', note: '2022年1月起在本单位连续缴纳', checkedOn } as const;
}

/** The region title platform's acceptance (二(四)), which forwarding a senior case to the authority needs. */
export function platformAcceptance(acceptedOn: string, number = 'GXZC2026-001234') {
  return { number, acceptedOn };
}
