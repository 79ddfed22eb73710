/**
 * @module domain/employerChoice
 * Notice 一(一) sentence 2: for a title obtained by self-evaluation or appointment in lieu, "由新用人单位自主
 * 决定进行职称重新确认或要求重新参加当地（本单位）职称评审". The choice is the employer's: the unit records
 * it at its own step (reconfirm when it publishes the notice, re-evaluation when it rejects the case), with
 * who and when; an applicant cannot make it for the unit.
 */
import type { AcquisitionMethod } from './certificate.js';
import type { EmployerChoice } from './eligibility.js';
import { DomainError } from './errors.js';

export const EMPLOYER_CHOICE_CLAUSE = '一(一)';

/**
 * Refuses a choice given by the applicant (the application form or the public self-check): only the unit makes it.
 * @example refuseApplicantEmployerChoice('reconfirm', 'eligibility.employerChoice') // throws validation_failed
 */
export function refuseApplicantEmployerChoice(choice: EmployerChoice | null | undefined, field: string): void {
  if (choice === null || choice === undefined) return;
  throw new DomainError(
    'validation_failed',
    {
      zh: '自主评审或以聘代评取得的职称，是否进行职称重新确认由新用人单位决定，并由单位在办理时记录；申报人不能填写单位的决定',
      en: "For a self-evaluation or appointment-in-lieu title the new employer decides whether to reconfirm it, and the unit records that at its step; an applicant cannot give the employer's choice",
    },
    field,
    { clause: EMPLOYER_CHOICE_CLAUSE },
  );
}

/** Whether the employer's choice applies: a title obtained by self-evaluation or appointment in lieu (一(一) sentence 2). */
export function asksEmployerChoice(method: AcquisitionMethod): boolean {
  return method === 'self_evaluation' || method === 'appointment_in_lieu';
}

const notAsked = (field: string) =>
  new DomainError(
    'validation_failed',
    { zh: '只有自主评审或以聘代评取得的职称，才由新用人单位决定是否进行职称重新确认', en: "Only a self-evaluation or appointment-in-lieu title waits for the new employer's choice" },
    field,
    { clause: EMPLOYER_CHOICE_CLAUSE },
  );

/**
 * The choice the unit records when it publishes the notice: reconfirmation, given now or recorded at an
 * earlier notice of the same case; null for a title the choice does not apply to. Refused: no choice on a
 * case awaiting one, re-evaluation (the unit rejects the case instead, recording it there), and a choice
 * for a title it does not apply to.
 * @example choiceAtNotice('self_evaluation', null, 'reconfirm', 'employerChoice') // 'reconfirm'
 */
export function choiceAtNotice(method: AcquisitionMethod, recorded: EmployerChoice | null, given: EmployerChoice | undefined, field: string): EmployerChoice | null {
  if (!asksEmployerChoice(method)) {
    if (given !== undefined) throw notAsked(field);
    return null;
  }
  const choice = given ?? recorded;
  if (choice !== 'reconfirm') {
    throw new DomainError(
      'conflict',
      {
        zh: '自主评审或以聘代评取得的职称，须由单位决定同意进行职称重新确认后方可公示；单位要求重新参加评审的，请作“不予确认”处理并注明',
        en: 'For a self-evaluation or appointment-in-lieu title the unit must choose reconfirmation before the notice; if it requires a fresh evaluation, reject the case saying so',
      },
      field,
      { clause: EMPLOYER_CHOICE_CLAUSE },
    );
  }
  return choice;
}

/**
 * The choice a unit may record when it rejects a case: only re-evaluation, only for a title the choice
 * applies to, and only by the unit (its own steps); undefined when none is given.
 * @example choiceAtRejection('self_evaluation', 're_evaluate', true, 'employerChoice') // 're_evaluate'
 */
export function choiceAtRejection(method: AcquisitionMethod, given: EmployerChoice | undefined, byTheUnit: boolean, field: string): EmployerChoice | undefined {
  if (given === undefined) return undefined;
  if (!asksEmployerChoice(method)) throw notAsked(field);
  if (given !== 're_evaluate' || !byTheUnit) {
    throw new DomainError(
      'validation_failed',
      { zh: '不予确认时只能由用人单位记录“要求重新参加评审”的决定', en: 'On a rejection only the unit may record that it requires a fresh evaluation' },
      field,
      { clause: EMPLOYER_CHOICE_CLAUSE },
    );
  }
  return given;
}
