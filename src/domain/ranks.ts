/**
 * @module domain/ranks
 * Who may place which organisation. The notice is addressed by the region title office (自治区职改办) to
 * "各市职改办、各系列（行业、单位）职改办、区直各有关单位人事（干部）处" — the bodies one level below it, which
 * are also the only ones that may submit a senior case to it (二(二)3: 设区市职改办、厅级人事主管部门、自治区级
 * 档案管理部门); below them the competent departments (主管部门, 二(二)3 "逐级上报"), and at the bottom the units
 * where people work (用人单位, 自主评审高校; 二(二)1–2). An admin may place only kinds strictly below their
 * own organisation's rank, so no admin can make an office equal to or above their own.
 *
 * The region title office's own rights (the region-wide working-day calendar of 二(二)2, placing the
 * authorities of the trust store) belong to one organisation: the root office — the organisation of kind
 * `region_title_office` at the root of the tree. A kind is something an admin assigns; being the root is
 * not: the API never creates a `region_title_office` (only the operator's CLI does), and a
 * `region_title_office` placed under another organisation has no rank at all.
 */
import type { OrganisationKind, OrgNode } from './routing.js';

/**
 * Each kind's rank, 0 the highest; `null`: never placed by an admin and places nothing (an authority of
 * the trust store that no admin has classified yet).
 */
export const KIND_RANK: Readonly<Record<OrganisationKind, number | null>> = {
  region_title_office: 0, // 自治区职改办: the root office alone (see rankOf)
  city_title_office: 1, // 设区市职改办 — 二(二)3 senior submitter
  department_hr_office: 1, // 厅级人事主管部门 — 二(二)3 senior submitter
  file_office: 1, // 自治区级档案管理部门 — 二(二)3 senior submitter
  competent_department: 2, // 主管部门: checks and forwards 逐级 (二(二)3)
  unit: 3, // 用人单位: where the applicant works (二(二)1–2)
  university: 3, // 自主评审高校: an employer that also confirms the levels it is authorised for (二(一))
  issuing_authority: null,
};

/**
 * The root office: the one organisation of kind `region_title_office` without a parent. None when there
 * is none — or more than one, since then no one can tell which is real (the operator fixes it with the CLI).
 * @example rootOffice(orgs)?.code // 'GXZGB'
 */
export function rootOffice(orgs: ReadonlyMap<string, OrgNode>): OrgNode | undefined {
  const roots = [...orgs.values()].filter((o) => o.kind === 'region_title_office' && o.parentCode === null);
  return roots.length === 1 ? roots[0] : undefined;
}

/** @example isRootOffice(orgs, 'GXZGB') // true; a region_title_office placed under NNZGB: false */
export function isRootOffice(orgs: ReadonlyMap<string, OrgNode>, code: string): boolean {
  return rootOffice(orgs)?.code === code;
}

/**
 * The rank an organisation acts with: its kind's, except that the region title office's rank is the root
 * office's alone. `null`: it places nothing.
 */
export function rankOf(orgs: ReadonlyMap<string, OrgNode>, code: string): number | null {
  const org = orgs.get(code);
  if (!org) return null;
  if (org.kind === 'region_title_office') return isRootOffice(orgs, code) ? 0 : null;
  return KIND_RANK[org.kind];
}

/**
 * The kinds an admin of `code` may create, or give an organisation they administer: those strictly below
 * their own rank. Never `region_title_office` (rank 0 has nothing above it) nor `issuing_authority`.
 * @example kindsPlaceableBy(orgs, 'NNZGB') // ['competent_department', 'unit', 'university']
 */
export function kindsPlaceableBy(orgs: ReadonlyMap<string, OrgNode>, code: string): OrganisationKind[] {
  const own = rankOf(orgs, code);
  if (own === null) return [];
  return (Object.keys(KIND_RANK) as OrganisationKind[]).filter((kind) => {
    const rank = KIND_RANK[kind];
    return rank !== null && rank > own;
  });
}
