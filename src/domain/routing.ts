/**
 * @module domain/routing
 * Organisations and how a case climbs them. Each organisation has a parent; a case starts at the
 * applicant's unit and is forwarded "逐级" — level by level, to the parent each time (二(二)3) — until it
 * reaches the confirming authority (二(一)): the nearest organisation on that path authorised to confirm
 * the title's level (a self-evaluating university or a city title office for the levels it may grant,
 * the region title office for senior titles). A senior case may reach the region title office only from
 * a city title office, a department-level HR office or the region personnel-file office (二(二)3).
 */
import { DomainError } from './errors.js';
import { isSenior, type Level } from './levels.js';
import type { Role } from './roles.js';

export const ORGANISATION_KINDS = [
  'region_title_office', // 自治区职改办
  'city_title_office', // 设区市职改办（含县、区职改办）
  'competent_department', // 主管部门
  'department_hr_office', // 厅级人事主管部门
  'file_office', // 自治区级档案管理部门
  'unit', // 用人单位
  'university', // 自主评审高校（亦为用人单位）
  'issuing_authority', // an authority from the trust store not yet classified by an admin
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_NAMES: Record<OrganisationKind, { zh: string; en: string }> = {
  region_title_office: { zh: '自治区职改办', en: 'Region title office' },
  city_title_office: { zh: '设区市职改办', en: 'City title office' },
  competent_department: { zh: '主管部门', en: 'Competent department' },
  department_hr_office: { zh: '厅级人事主管部门', en: 'Department-level HR office' },
  file_office: { zh: '自治区级档案管理部门', en: 'Region personnel-file office' },
  unit: { zh: '用人单位', en: 'Employer (unit)' },
  university: { zh: '自主评审高校', en: 'Self-evaluating university' },
  issuing_authority: { zh: '发证机构', en: 'Issuing authority' },
};

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === 'string' && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

export interface OrgNode {
  code: string;
  name: string;
  kind: OrganisationKind;
  parentCode: string | null;
}

/** Kinds where an applicant works. */
export const EMPLOYER_KINDS: readonly OrganisationKind[] = ['unit', 'university'];
/** Kinds that may confirm a title, each for the levels its key is authorised to sign (二(一)). */
export const CONFIRMING_KINDS: readonly OrganisationKind[] = ['region_title_office', 'city_title_office', 'university', 'issuing_authority'];
/** 二(二)3: the only bodies that may submit a senior case to the region title office. */
export const SENIOR_SUBMITTER_KINDS: readonly OrganisationKind[] = ['city_title_office', 'department_hr_office', 'file_office'];

/** The role that acts for an organisation of this kind while a case is above the unit. */
export function reviewingRole(kind: OrganisationKind): Role {
  return kind === 'competent_department' || kind === 'department_hr_office' ? 'department_reviewer' : 'title_office_staff';
}

/**
 * The path from the unit up to the root, the unit first. Refuses a cycle or a missing parent.
 * @example routeFrom('NNLQ01', orgs).map((o) => o.code) // ['NNLQ01', 'NNJTJ', 'NNZGB', 'GXZGB']
 */
export function routeFrom(unitCode: string, orgs: ReadonlyMap<string, OrgNode>): OrgNode[] {
  const route: OrgNode[] = [];
  for (let code: string | null = unitCode; code !== null; ) {
    const org = orgs.get(code);
    if (!org) throw new DomainError('not_found', { zh: `机构 ${code} 不存在`, en: `Organisation ${code} does not exist` }, 'org');
    if (route.some((o) => o.code === org.code)) {
      throw new DomainError('conflict', { zh: `机构层级出现循环（${org.code}）`, en: `The organisation tree has a cycle at ${org.code}` }, 'parentCode');
    }
    route.push(org);
    code = org.parentCode;
  }
  return route;
}

/**
 * The organisation and every organisation below it: what its admin administers and its auditor reads.
 * @example subtreeOf(orgs, 'NNZGB') // ['NNJTJ', 'NNLQ01', 'NNZGB']
 */
export function subtreeOf(orgs: ReadonlyMap<string, OrgNode>, code: string): string[] {
  return [...orgs.values()].filter((o) => routeFrom(o.code, orgs).some((r) => r.code === code)).map((o) => o.code);
}

/**
 * 二(一): the nearest organisation on the route, the unit itself included, that may confirm `level`.
 * `authorisedLevels` says what each organisation's signing key may confirm (the trust store).
 */
export function confirmingAuthorityOn(route: readonly OrgNode[], level: Level, authorisedLevels: (code: string) => readonly Level[]): OrgNode {
  const authority = route.find((o) => CONFIRMING_KINDS.includes(o.kind) && authorisedLevels(o.code).includes(level));
  if (!authority) {
    throw new DomainError(
      'level_not_authorised',
      {
        zh: `单位 ${route[0]?.name ?? ''} 的上级中没有有权确认该级别职称的部门（二(一)），请联系系统管理员`,
        en: `No organisation above ${route[0]?.code ?? ''} may confirm this level (notice 二(一)); ask the administrator`,
      },
      'eligibility.title',
      { clause: '二(一)' },
    );
  }
  return authority;
}

export type HopStatus = 'department_review' | 'forwarding' | 'authority_review';

/**
 * Where a case goes when `fromCode` forwards it: the parent, which is the authority (authority review),
 * the first level above the unit (department review) or a further level (forwarding).
 */
export function nextHop(route: readonly OrgNode[], fromCode: string, authorityCode: string, level: Level): { holderCode: string; status: HopStatus } {
  const at = route.findIndex((o) => o.code === fromCode);
  const from = route[at];
  if (!from) throw new DomainError('conflict', { zh: `机构 ${fromCode} 不在本申请的报送路径上`, en: `${fromCode} is not on this case's route` });
  if (from.code === authorityCode) return { holderCode: authorityCode, status: 'authority_review' }; // a university confirming its own staff
  const next = route[at + 1];
  if (!next) throw new DomainError('conflict', { zh: '已无上级部门可报送', en: 'There is no level above to forward to' });
  if (next.code === authorityCode) {
    if (isSenior(level) && next.kind === 'region_title_office' && !SENIOR_SUBMITTER_KINDS.includes(from.kind)) {
      throw new DomainError(
        'conflict',
        {
          zh: `高级职称重新确认须由设区市职改办、厅级人事主管部门或自治区级档案管理部门报送（二(二)3），${from.name} 不能直接报送`,
          en: `A senior case must be submitted by a city title office, a department-level HR office or the region personnel-file office (notice 二(二)3); ${from.code} may not submit it`,
        },
        undefined,
        { clause: '二(二)3' },
      );
    }
    return { holderCode: next.code, status: 'authority_review' };
  }
  return { holderCode: next.code, status: at === 0 ? 'department_review' : 'forwarding' };
}
