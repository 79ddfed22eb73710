/**
 * @module domain/materials
 * Whether a case has the materials of 二(三) its checklist (domain/eligibility.ts materialsFor) asks for.
 * Two gates: the applicant's own materials (二(三)1) before submitting to the unit, and everything —
 * including the unit's request document and the verification record (二(三)2) — before the submitting
 * department sends the case on. Original proof that truly cannot be supplied is covered by a genuine
 * verification record of the 核实 log (四(三)); an online verification route needs its screenshot
 * (二(三)1(2)).
 */
import type { MaterialItem, Reason } from './eligibility.js';

/** The kinds of file a person may upload, and who supplies each (二(三)1 the applicant, 二(三)2 the unit and department). */
export const MATERIAL_ITEMS = [
  'original_title_proof',
  'online_verification_screenshot',
  'employment_proof',
  'photo',
  'committee_filing_proof',
  'committee_ministry_filing_proof',
  'request_document',
  'other',
] as const;
export type MaterialKind = (typeof MATERIAL_ITEMS)[number];

export const MATERIAL_NAMES: Record<string, { zh: string; en: string }> = {
  approval_form: { zh: '职称重新确认审批表', en: 'Approval form' },
  original_title_proof: { zh: '原职称证明材料', en: 'Proof of the original title' },
  online_verification_route: { zh: '网上核验途径及查询结果截图', en: 'Online verification route and screenshot' },
  online_verification_screenshot: { zh: '网上核验查询结果截图', en: 'Screenshot of the online verification' },
  employment_proof: { zh: '在我区工作的证明材料或劳动合同', en: 'Proof of working in Guangxi or labour contract' },
  social_insurance_record: { zh: '社保缴纳记录', en: 'Social insurance record' },
  photo: { zh: '电子证件照', en: 'Electronic photo' },
  committee_filing_proof: { zh: '评委会备案审批证明', en: 'Proof the committee was filed' },
  committee_online_query_route: { zh: '评委会备案在线查询途径', en: 'Online route to check the committee’s filing' },
  committee_ministry_filing_proof: { zh: '评委会经人社部备案的文件', en: 'Committee filing with the national ministry' },
  request_document: { zh: '请示文件', en: 'Request document' },
  verification_record: { zh: '职称核实情况记录单', en: 'Verification record' },
  other: { zh: '其他佐证材料', en: 'Other supporting proof' },
};

/** Items the applicant supplies (二(三)1); the unit's HR may also supply them on the applicant's behalf. */
export const APPLICANT_MATERIALS: readonly MaterialKind[] = MATERIAL_ITEMS.filter((item) => item !== 'request_document');
/** Items the unit and the submitting department supply (二(三)2). */
export const REVIEWER_MATERIALS: readonly MaterialKind[] = ['request_document', 'other'];

/**
 * 二(三)2: "单位或相应主管部门应……报送……请示文件、申报人材料和《职称重新确认职称核实情况记录单》" — the
 * request document and the verification record are the unit's and the department's to supply, never an
 * item the applicant lacks.
 * @example suppliedBy('verification_record') // 'department'
 */
export function suppliedBy(item: string): 'applicant' | 'department' {
  return item === 'request_document' || item === 'verification_record' ? 'department' : 'applicant';
}

/**
 * The items a role may upload: the applicant theirs (二(三)1), the unit's HR those too plus the request
 * document, the reviewers above the unit the request document (二(三)2).
 * @example uploadableBy('department_reviewer') // ['request_document', 'other']
 */
export function uploadableBy(role: string): readonly MaterialKind[] {
  if (role === 'applicant') return APPLICANT_MATERIALS;
  if (role === 'unit_hr') return [...APPLICANT_MATERIALS, 'request_document'];
  return REVIEWER_MATERIALS;
}

export interface MaterialsOnFile {
  /** Items with at least one uploaded file. */
  uploaded: ReadonlySet<string>;
  /** The applicant gave a web address where the original can be checked. */
  onlineVerificationUrl: boolean;
  /** The applicant declared the original proof cannot be supplied (to be verified under 四(三)). */
  originalProofUnavailable: boolean;
  /** Verification records linked to the case, not superseded, that found the title genuine. */
  genuineVerificationRecords: number;
}

export type MaterialsGate = 'submit' | 'forward';

const missing = (item: string, clause: string, extra?: { zh: string; en: string }): Reason => ({
  clause,
  code: `missing_${item}`,
  message: {
    zh: `缺少${MATERIAL_NAMES[item]?.zh ?? item}${extra ? `：${extra.zh}` : ''}`,
    en: `Missing: ${MATERIAL_NAMES[item]?.en ?? item}${extra ? ` — ${extra.en}` : ''}`,
  },
});

/**
 * What the checklist still lacks at `gate`; empty when the case may go on.
 * @example missingMaterials(checklist, { uploaded: new Set(['photo']), … }, 'submit') // [{ clause: '二(三)1(3)', code: 'missing_employment_proof', … }]
 */
export function missingMaterials(checklist: readonly MaterialItem[], onFile: MaterialsOnFile, gate: MaterialsGate): Reason[] {
  const reasons: Reason[] = [];
  for (const entry of checklist) {
    if (!entry.required) continue;
    switch (entry.item) {
      case 'approval_form':
        break; // the application is the form; the service renders it
      case 'original_title_proof':
        if (onFile.uploaded.has('original_title_proof')) break;
        if (gate === 'submit' && onFile.originalProofUnavailable) break;
        if (gate === 'forward' && onFile.genuineVerificationRecords > 0) break;
        reasons.push(
          missing(
            'original_title_proof',
            gate === 'forward' ? '四(三)' : entry.clause,
            gate === 'forward'
              ? { zh: '原件确实无法提供的，须由报送部门核实并填写核实情况记录单', en: 'when the original truly cannot be supplied, the submitting department must verify it and record the verification' }
              : undefined,
          ),
        );
        break;
      case 'online_verification_route':
        if (!onFile.onlineVerificationUrl) reasons.push(missing('online_verification_route', entry.clause, { zh: '未填写网上核验地址', en: 'no verification web address given' }));
        else if (!onFile.uploaded.has('online_verification_screenshot')) reasons.push(missing('online_verification_screenshot', entry.clause));
        break;
      case 'committee_online_query_route':
        break; // 二(三)1(5): listed only when the form gives the web address (committee.onlineQueryUrl)
      case 'request_document':
        if (gate === 'forward' && !onFile.uploaded.has('request_document')) reasons.push(missing('request_document', entry.clause));
        break;
      case 'verification_record':
        if (gate === 'forward' && onFile.genuineVerificationRecords === 0) reasons.push(missing('verification_record', entry.clause));
        break;
      default:
        if (!onFile.uploaded.has(entry.item)) reasons.push(missing(entry.item, entry.clause));
    }
  }
  return reasons;
}
