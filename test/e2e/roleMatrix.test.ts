/**
 * Least privilege, cell by cell: every role × every action on the real server. A role the notice does not
 * give an action gets 403 from the role gate (the problem names `requiredRoles`); a role it does give gets
 * past the gate (its answer then depends on the case: 200, 404, 409, 422 …). No token at all gets 401.
 * The expected grants are written out here by hand, from the notice, not read from the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody } from '../support/fixtures.js';
import { startServer, type RunningServer } from '../support/server.js';
import { addPerson, applicationForm, client, json, setUpWorkflow, type Person } from '../support/workflow.js';

const ROLES = ['applicant', 'unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver', 'issuer', 'handler', 'auditor', 'admin'] as const;
type Role = (typeof ROLES)[number];

const READERS: Role[] = ['applicant', 'unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver', 'handler', 'auditor'];
const REVIEWERS: Role[] = ['unit_hr', 'department_reviewer', 'title_office_staff', 'authority_approver'];

/** action → [method, path (APP and CERT filled in), body, the roles the notice gives it] */
const MATRIX: [string, string, string, unknown, Role[]][] = [
  ['application.create', 'POST', '/api/v1/reconfirmations', {}, ['applicant']],
  ['application.list', 'GET', '/api/v1/reconfirmations', undefined, READERS],
  ['application.read', 'GET', '/api/v1/reconfirmations/APP', undefined, READERS],
  ['application.form', 'GET', '/api/v1/reconfirmations/APP/form.pdf', undefined, READERS],
  ['application.material', 'GET', '/api/v1/reconfirmations/APP/materials/MT0', undefined, READERS],
  ['application.update', 'PUT', '/api/v1/reconfirmations/APP', {}, ['applicant']],
  ['application.upload_material', 'POST', '/api/v1/reconfirmations/APP/materials', {}, ['applicant', 'unit_hr', 'department_reviewer', 'title_office_staff']],
  ['application.submit', 'POST', '/api/v1/reconfirmations/APP/submit', {}, ['applicant']],
  ['application.withdraw', 'POST', '/api/v1/reconfirmations/APP/withdraw', { reason: '' }, ['applicant']],
  ['application.receive', 'POST', '/api/v1/reconfirmations/APP/receive', {}, ['unit_hr']],
  ['application.start_notice', 'POST', '/api/v1/reconfirmations/APP/start-notice', { start: 'x' }, ['unit_hr']],
  ['application.lodge_objection', 'POST', '/api/v1/reconfirmations/APP/objections', {}, ['unit_hr']],
  ['application.resolve_objection', 'POST', '/api/v1/reconfirmations/APP/objection-resolutions', {}, ['unit_hr']],
  ['application.endorse', 'POST', '/api/v1/reconfirmations/APP/endorse', {}, ['unit_hr']],
  ['application.forward', 'POST', '/api/v1/reconfirmations/APP/forward', {}, ['unit_hr', 'department_reviewer', 'title_office_staff']],
  ['application.approve', 'POST', '/api/v1/reconfirmations/APP/approve', {}, ['authority_approver']],
  ['application.issue', 'POST', '/api/v1/reconfirmations/APP/issue', {}, ['authority_approver']],
  ['application.return', 'POST', '/api/v1/reconfirmations/APP/return', {}, REVIEWERS],
  ['application.reject', 'POST', '/api/v1/reconfirmations/APP/reject', {}, REVIEWERS],
  ['certificate.issue', 'POST', '/api/v1/certificates', {}, ['issuer']],
  ['certificate.read', 'GET', '/api/v1/certificates/CERT', undefined, ['issuer', 'authority_approver']],
  ['certificate.pdf', 'GET', '/api/v1/certificates/CERT/pdf', undefined, ['issuer', 'authority_approver']],
  ['certificate.revoke', 'POST', '/api/v1/certificates/CERT/revocation', {}, ['issuer', 'authority_approver']],
  ['verification_record.create', 'POST', '/api/v1/verification-records', {}, ['handler']],
  ['verification_record.read', 'GET', '/api/v1/verification-records', undefined, ['handler', 'auditor']],
  ['ban.read', 'GET', '/api/v1/bans/450103198501010026', undefined, ['issuer', 'handler', 'auditor', ...REVIEWERS]],
  ['ban.register', 'GET', '/api/v1/bans', undefined, ['issuer', 'handler', 'auditor', ...REVIEWERS]],
  ['audit.read', 'GET', '/api/v1/audit', undefined, ['auditor']],
  ['calendar.override', 'PUT', '/api/v1/calendar/overrides/2027-02-06', {}, ['admin']],
  ['calendar.remove_override', 'DELETE', '/api/v1/calendar/overrides/2027-02-06', undefined, ['admin']],
  ['organisation.manage', 'POST', '/api/v1/organisations', {}, ['admin']],
  ['organisation.list', 'GET', '/api/v1/organisations', undefined, [...ROLES]],
  ['person.manage', 'POST', '/api/v1/people', {}, ['admin']],
  ['person.revoke', 'POST', '/api/v1/people/P-nobody/revocation', {}, ['admin']],
  ['organisation.uscc', 'PUT', '/api/v1/organisations/NNLQ01/uscc', {}, ['admin']],
  ['seal.list', 'GET', '/api/v1/organisations/NNLQ01/seals', undefined, ['admin']],
  ['seal.create', 'POST', '/api/v1/organisations/NNLQ01/seals', {}, ['admin']],
  ['seal.rotate', 'POST', '/api/v1/organisations/NNLQ01/seals/rotation', {}, ['admin']],
  ['seal.revoke', 'POST', '/api/v1/organisations/NNLQ01/seals/SEALaaaaaaaaaaaaaaaa/revocation', { reason: 'x' }, ['admin']],
];

let server: RunningServer;
const people = {} as Record<Role, Person>;
let app = '';
let cert = '';

beforeAll(async () => {
  server = await startServer();
  const staff = await setUpWorkflow(server);
  Object.assign(people, {
    applicant: staff.applicant,
    unit_hr: staff.unitHr,
    department_reviewer: staff.departmentReviewer,
    title_office_staff: staff.cityStaff,
    authority_approver: staff.approver,
    handler: staff.handler,
    auditor: staff.auditor,
    admin: staff.admin,
    issuer: await addPerson(server, staff.admin, 'GXZGB', 'issuer', '签发员'),
  });
  app = (await json(await client(server, people.applicant)('POST', '/api/v1/reconfirmations', applicationForm()))).id;
  cert = (await json(await client(server, people.issuer)('POST', '/api/v1/certificates', issueBody()))).number;
  expect(app).toBeTruthy();
  expect(cert).toBeTruthy();
}, 180_000);
afterAll(async () => server?.stop());

describe('role × action (least privilege)', () => {
  it(`${ROLES.length} roles × ${MATRIX.length} actions: granted ones pass the role gate, every other one is 403`, async () => {
    const cells: string[] = [];
    for (const [action, method, template, body, granted] of MATRIX) {
      const path = template.replace('APP', app).replace('CERT', cert);
      for (const role of ROLES) {
        const res = await client(server, people[role])(method, path, body);
        const text = await res.text();
        const roleGate = res.status === 403 && text.includes('"requiredRoles"');
        const expected = granted.includes(role) ? 'allowed' : 'refused';
        const actual = roleGate ? 'refused' : 'allowed';
        if (expected === 'refused' && res.status !== 403) cells.push(`${action} × ${role}: expected 403, got ${res.status}`);
        else if (expected !== actual) cells.push(`${action} × ${role}: expected ${expected}, got ${res.status} ${text.slice(0, 160)}`);
        if (res.status >= 500) cells.push(`${action} × ${role}: ${res.status}`);
      }
    }
    expect(cells).toEqual([]);
  }, 180_000);

  it('no token: 401 on every protected action', async () => {
    const anonymous = client(server, null);
    const wrong: string[] = [];
    for (const [action, method, template, body] of MATRIX) {
      const res = await anonymous(method, template.replace('APP', app).replace('CERT', cert), body);
      if (res.status !== 401) wrong.push(`${action}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
