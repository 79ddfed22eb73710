/**
 * @module services/applications/judge
 * The applicant's form judged on a day: the person (ID document, gender, birth month) and the case under 一.
 */
import { checkBirthMonth, type ApplicationForm } from '../../domain/application.js';
import { assessEligibility } from '../../domain/eligibility.js';
import { refuseApplicantEmployerChoice } from '../../domain/employerChoice.js';
import { DomainError } from '../../domain/errors.js';
import { checkResidentIdNumber, validateIdDocument } from '../../domain/idDocument.js';

/**
 * Judges the form under 一 on `today`. Refused: anything but eligible, the employer's choice pending (一(一)),
 * or refused in principle (二(三)1(5): the authority may still except it) — and a form carrying the
 * employer's choice, which is the unit's to record (一(一) sentence 2).
 */
export function judge(form: ApplicationForm, today: string) {
  refuseApplicantEmployerChoice(form.eligibility.employerChoice, 'eligibility.employerChoice');
  const assessment = assessEligibility(form.eligibility, today);
  if (assessment.level === null || !(['eligible', 'employer_decides', 'refused_in_principle'] as const).some((d) => d === assessment.decision)) {
    const reasons = assessment.reasons;
    throw new DomainError(
      'not_eligible',
      {
        zh: `不符合职称重新确认条件：${reasons.map((r) => `${r.message.zh}（${r.clause}）`).join('；')}`,
        en: `Not eligible for reconfirmation: ${reasons.map((r) => `${r.message.en} (notice ${r.clause})`).join('; ')}`,
      },
      'eligibility',
      { decision: assessment.decision, reasons },
    );
  }
  return { assessment, level: assessment.level };
}

export function checkPerson(form: ApplicationForm, today: string): string {
  const idNumber = validateIdDocument(form.applicant.idType, form.applicant.idNumber, 'applicant.idNumber', today);
  if (form.applicant.idType === 'resident_id_card' && checkResidentIdNumber(idNumber, today).gender !== form.applicant.gender) {
    throw new DomainError('validation_failed', { zh: '性别与身份证号码不一致', en: 'Gender does not match the resident ID number' }, 'applicant.gender');
  }
  checkBirthMonth({ ...form.applicant, idNumber }, today); // attachment 1 基本情况: 出生年月
  return idNumber;
}
