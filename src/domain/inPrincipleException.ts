/**
 * @module domain/inPrincipleException
 * Notice 二(三)1(5): results of a committee set up without filing are "原则上不予" reconfirmed — refused in
 * principle, not absolutely. The service does not decide the exception: the confirming authority's approver,
 * approving the case, records a reasoned exception (the reason; who and when are the approval's own). Without
 * it such a case is not approved; a case that needs none cannot carry one.
 */
import type { Decision } from './eligibility.js';
import { DomainError } from './errors.js';

export const IN_PRINCIPLE_CLAUSE = '二(三)1(5)';

/** The authority's recorded exception, as the approval event keeps it (who and when: the event's person and time). */
export interface InPrincipleException {
  clause: typeof IN_PRINCIPLE_CLAUSE;
  reason: string;
}

/**
 * The exception an approval of a case with `decision` records, or null when the case needs none.
 * Refused: a `refused_in_principle` case approved without a reason (409, 二(三)1(5)), and a reason given
 * for any other case (there is nothing to except).
 * @example exceptionForApproval('refused_in_principle', '该评委会已于2019年补办备案，经核实评审程序规范。') // { clause: '二(三)1(5)', reason: '…' }
 */
export function exceptionForApproval(decision: Decision, reason: string | undefined): InPrincipleException | null {
  const given = reason?.trim() ?? '';
  if (decision !== 'refused_in_principle') {
    if (given === '') return null;
    throw new DomainError(
      'validation_failed',
      { zh: '本申请不属于“原则上不予重新确认”的情形，无需记录例外理由', en: 'This case is not refused in principle; there is no exception to record' },
      'exceptionReason',
      { clause: IN_PRINCIPLE_CLAUSE },
    );
  }
  if (given === '') {
    throw new DomainError(
      'conflict',
      {
        zh: '自行设立且未经备案的评委会，其评审结果原则上不予职称重新确认；确认部门如决定例外予以确认，须写明例外理由后再批准',
        en: 'Results of a committee set up without filing are in principle not reconfirmed; to accept this case as an exception the confirming authority must state its reason when approving',
      },
      'exceptionReason',
      { clause: IN_PRINCIPLE_CLAUSE },
    );
  }
  return { clause: IN_PRINCIPLE_CLAUSE, reason: given };
}
