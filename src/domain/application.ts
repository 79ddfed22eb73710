/**
 * @module domain/application
 * A reconfirmation application: the approval form's facts (attachment 1) as the applicant fills them in,
 * and the case as it stands in the workflow (domain/workflow.ts).
 */
import type { Gender } from './certificate.js';
import type { EligibilityAssessment, EligibilityInput, EmployerChoice } from './eligibility.js';
import type { IdType } from './idDocument.js';
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
