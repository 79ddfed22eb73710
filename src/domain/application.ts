/**
 * @module domain/application
 * A reconfirmation application: the approval form's facts (attachment 1) as the applicant fills them in,
 * and the case as it stands in the workflow (domain/workflow.ts).
 */
import type { Gender } from './certificate.js';
import type { EligibilityAssessment, EligibilityInput, EmployerChoice } from './eligibility.js';
import { DomainError } from './errors.js';
import { checkResidentIdNumber, type IdType } from './idDocument.js';
import type { Level } from './levels.js';
import type { ApplicationStatus, ReturnTarget } from './workflow.js';

/** What the applicant fills in: the case for eligibility (一) and the facts of attachment 1. */
export interface ApplicationForm {
  eligibility: EligibilityInput;
  applicant: {
    name: string;
    gender: Gender;
    idType: IdType;
    idNumber: string;
    /**
     * 出生年月 of attachment 1, `YYYY-MM`: given by holders of a passport or another non-resident document;
     * a resident ID number carries it (digits 7–12) and a value given beside it must agree. Absent from
     * forms saved before it was asked for.
     */
    birthMonth?: string | null | undefined;
    education: string;
    graduation: { on: string; school: string; major: string };
    workStartedOn: string;
    originalEmployer: string;
    originalWork: string;
    currentWork: string;
    personnelFileHolder: string;
  };
  /** The specialty on the original certificate, carried onto the e-certificate (二(二)4). */
  specialty: string;
  originalCertificateNumber: string | null;
  workHistory: { from: string; to: string | null; place: string; work: string; post: string }[];
  workSummary: string;
  /** Where the original can be checked online; with a screenshot it replaces the original proof (二(三)1(2)). */
  onlineVerificationUrl: string | null;
  /** Why the original proof truly cannot be supplied; the submitting department then verifies (四(三)). */
  originalProofUnavailable: string | null;
}

export interface PublicNotice {
  start: string;
  end: string;
  /** The end falls in a year whose holiday schedule is not announced yet: recomputed when data arrives. */
  provisional: boolean;
  dataVersion: string;
}

export interface Application {
  id: string;
  applicantId: string;
  unitCode: string;
  holderCode: string;
  authorityCode: string;
  status: ApplicationStatus;
  version: number;
  idNumber: string;
  holderName: string;
  level: Level;
  form: ApplicationForm;
  eligibility: EligibilityAssessment;
  employerChoice: EmployerChoice | null;
  notice: PublicNotice | null;
  returned: { to: ReturnTarget; reason: string } | null;
  decision: { number: string; decidedOn: string } | null;
  certificateNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One step of the history: who (person, organisation, role), when, and the opinion (四(二), 四(四)). */
export interface ApplicationEvent {
  seq: number;
  action: string;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  person: { id: string; name: string };
  org: { code: string; name: string };
  role: string;
  at: string;
  opinion: string | null;
  data: Record<string, unknown>;
}

export interface Material {
  id: string;
  item: string;
  filename: string;
  sha256: string;
  mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  uploadedBy: string;
  orgCode: string;
  uploadedAt: string;
}

export interface Objection {
  id: string;
  receivedOn: string;
  text: string;
  lodgedBy: string;
  lodgedAt: string;
  resolution: { text: string; upheld: boolean; by: string; at: string } | null;
}

type ApplicantIdentity = Pick<ApplicationForm['applicant'], 'idType' | 'idNumber' | 'birthMonth'>;

/**
 * 出生年月 as attachment 1 prints it, `YYYY-MM`: from a resident ID number, else as the applicant gave it;
 * `null` when neither tells (a form saved before the field was asked for).
 * @example applicantBirthMonth({ idType: 'passport', idNumber: 'E12345678', birthMonth: '1985-01' }) // '1985-01'
 */
export function applicantBirthMonth(applicant: ApplicantIdentity): string | null {
  if (applicant.idType === 'resident_id_card' && /^\d{12}/.test(applicant.idNumber)) return `${applicant.idNumber.slice(6, 10)}-${applicant.idNumber.slice(10, 12)}`;
  return applicant.birthMonth ?? null;
}

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Attachment 1 (基本情况) asks for 出生年月. A holder of a passport or another non-resident document gives it
 * (nothing else on the form tells it); beside a resident ID number it may be given but must agree with the
 * number — a disagreement is a typing error in one of the two, refused rather than silently ignored. It
 * cannot be in the future or before 1900. `today` is the China date.
 * @example checkBirthMonth({ idType: 'passport', idNumber: 'E12345678', birthMonth: null }, '2026-12-07') // throws: 出生年月 required
 */
export function checkBirthMonth(applicant: ApplicantIdentity, today: string): void {
  const given = applicant.birthMonth ?? null;
  const field = 'applicant.birthMonth';
  if (given !== null && (!YEAR_MONTH.test(given) || given < '1900-01' || given > today.slice(0, 7))) {
    throw new DomainError('validation_failed', { zh: '出生年月须为1900年以后、不晚于本月的年月', en: 'The birth month must be a month from 1900 up to this month' }, field);
  }
  if (applicant.idType !== 'resident_id_card') {
    if (given === null) {
      throw new DomainError('validation_failed', { zh: '持护照等非居民身份证件的，请填写出生年月（审批表“出生年月”栏）', en: 'Holders of a passport or another non-resident document give their birth month (the form’s 出生年月)' }, field);
    }
    return;
  }
  const fromNumber = checkResidentIdNumber(applicant.idNumber, today).birthDate.slice(0, 7);
  if (given !== null && given !== fromNumber) {
    throw new DomainError(
      'validation_failed',
      { zh: `出生年月与身份证号码不一致（号码中为${fromNumber.replace('-', '年')}月）`, en: `The birth month does not match the resident ID number (which says ${fromNumber})` },
      field,
    );
  }
}
