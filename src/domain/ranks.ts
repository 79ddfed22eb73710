/**
 * @module domain/ranks
 * Who may place which organisation. The notice is addressed by the region title office (自治区职改办) to
 * "各市职改办、各系列（行业、单位）职改办、区直各有关单位人事（干部）处" — the bodies one level below it, which
 * are also the only ones that may submit a senior case to it (二(二)3: 设区市职改办、厅级人事主管部门、自治区级
 * 档案管理部门); below them the competent departments (主管部门, 二(二)3 "逐级上报"), and at the bottom the units
 * where people work (用人单位, 自主评审高校; 二(二)1–2). An admin may place only kinds strictly below their
 * own organisation's rank, so no admin can make an office equal to or above their own; and whoever places
 * it, every organisation ranks strictly below its parent (placementFault), so an office's subtree holds only
 * lower ranks and an admin appoints admins only there (mayAppointAdmin).
 *
 * The region title office's own rights (the region-wide working-day calendar of 二(二)2, placing the
 * authorities of the trust store) belong to one organisation: the root office — the organisation of kind
 * `region_title_office` at the root of the tree. A kind is something an admin assigns; being the root is
 * not: the API never creates a `region_title_office` (only the operator's CLI does), and a
 * `region_title_office` placed under another organisation has no rank at all.
 */
import type { Message } from './errors.js';
import { ORGANISATION_KIND_NAMES, subtreeOf, type OrganisationKind, type OrgNode } from './routing.js';

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

/**
 * The kinds that may stand directly below an organisation of `kind`: those of a strictly lower rank.
 * @example kindsBelow('competent_department') // ['unit', 'university']
 */
export function kindsBelow(kind: OrganisationKind): OrganisationKind[] {
  const rank = KIND_RANK[kind];
  return (Object.keys(KIND_RANK) as OrganisationKind[]).filter((k) => rank !== null && (KIND_RANK[k] ?? -1) > rank);
}

/** Why an organisation may not stand where it would: the field at fault and a message in both languages. */
export interface PlacementFault {
  field: 'kind' | 'parentCode';
  message: Message;
}

const kindName = (kind: OrganisationKind) => ORGANISATION_KIND_NAMES[kind];
const label = (org: OrgNode) => ({ zh: `${org.code}（${kindName(org.kind).zh}）`, en: `${org.code} (${kindName(org.kind).en})` });

/**
 * Whether `org` may stand where it would in the tree `orgs` (its entry of the same code, if any, replaced):
 * every organisation ranks strictly below its parent (二(二)3 逐级: a case climbs to a higher office each
 * time), so an organisation is never lifted to its parent's rank or above, nor given a kind its own
 * children are not strictly below. The region title office stands alone at the root; an authority of the
 * trust store nobody has classified stands apart at the top. The same rule for admins and the operator's CLI.
 * @example placementFault(orgs, { code: 'NNX', name: '…', kind: 'city_title_office', parentCode: 'NNZGB' })?.field // 'kind'
 */
export function placementFault(orgs: ReadonlyMap<string, OrgNode>, org: OrgNode): PlacementFault | undefined {
  const next = new Map(orgs).set(org.code, org);
  const name = kindName(org.kind);
  if (org.kind === 'region_title_office') {
    if (org.parentCode !== null) {
      return { field: 'kind', message: { zh: `“${name.zh}”只能是机构树的根，不能设在其他机构之下`, en: `A ${name.en} stands only at the root of the tree, never under another organisation` } };
    }
    const other = [...orgs.values()].find((o) => o.code !== org.code && o.kind === 'region_title_office' && o.parentCode === null);
    if (other) return { field: 'kind', message: { zh: `已有根机构 ${other.code}（${name.zh}），不能再设一个`, en: `There is already a root ${name.en}, ${other.code}; there cannot be two` } };
  } else if (org.kind === 'issuing_authority') {
    if (org.parentCode !== null) {
      return { field: 'kind', message: { zh: `“${name.zh}”是尚未归类的发证机构，不能设在其他机构之下；请先确定其类别`, en: `An unclassified ${name.en} cannot stand under another organisation; give it a kind first` } };
    }
  } else if (org.parentCode === null) {
    return { field: 'parentCode', message: { zh: `“${name.zh}”须有上级机构（只有自治区职改办是根）`, en: `A ${name.en} needs a parent (only the region title office is the root)` } };
  }
  const rank = KIND_RANK[org.kind];
  if (org.parentCode !== null) {
    const parent = next.get(org.parentCode);
    if (!parent) return { field: 'parentCode', message: { zh: `上级机构 ${org.parentCode} 不存在`, en: `The parent ${org.parentCode} does not exist` } };
    if (parent.code === org.code || subtreeOf(orgs, org.code).includes(parent.code)) {
      return { field: 'parentCode', message: { zh: '上级机构不能是其自身或其下级', en: 'The parent cannot be the organisation itself or one below it' } };
    }
    const parentRank = rankOf(next, parent.code);
    if (parentRank === null) {
      const p = label(parent);
      return { field: 'parentCode', message: { zh: `上级机构 ${p.zh} 不能有下级机构`, en: `The parent ${p.en} can have no organisations below it` } };
    }
    if (rank === null || rank <= parentRank) {
      const p = label(parent);
      return {
        field: 'kind',
        message: { zh: `“${name.zh}”的级别不低于上级机构 ${p.zh}：下级机构的级别必须低于上级`, en: `A ${name.en} does not rank below its parent ${p.en}: an organisation must rank strictly below its parent` },
      };
    }
  }
  const below = kindsBelow(org.kind);
  const child = [...orgs.values()].find((o) => o.parentCode === org.code && o.code !== org.code && !below.includes(o.kind));
  if (child) {
    const c = label(child);
    return {
      field: 'kind',
      message: { zh: `${org.code} 的下级机构 ${c.zh} 的级别不低于“${name.zh}”：上级机构的级别必须高于其下级`, en: `${org.code} has ${c.en} below it, which does not rank below a ${name.en}: an organisation must rank above those below it` },
    };
  }
  return undefined;
}

/**
 * Whether an admin of `actorCode` may make someone an admin at `orgCode`: at their own office, or at an
 * organisation of their subtree ranked strictly below it — never at a peer or a higher rank, even where a
 * tree from before the rank rule holds one below them (an admin can only hand on less than they hold).
 * @example mayAppointAdmin(orgs, 'NNZGB', 'NNJTJ') // true; mayAppointAdmin(orgs, 'NNZGB', 'GXZGB') // false
 */
export function mayAppointAdmin(orgs: ReadonlyMap<string, OrgNode>, actorCode: string, orgCode: string): boolean {
  if (orgCode === actorCode) return orgs.has(orgCode);
  const own = rankOf(orgs, actorCode);
  const theirs = rankOf(orgs, orgCode);
  return own !== null && theirs !== null && theirs > own && subtreeOf(orgs, actorCode).includes(orgCode);
}
