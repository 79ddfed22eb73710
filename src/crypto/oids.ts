/**
 * @module crypto/oids
 * The object identifiers our certificates carry. Our own arc is UUID-derived under 2.25 (ITU-T X.667), so
 * no registration is needed: 2.25.<UUID 0f814a4c-b87b-4ade-b1b0-cb097997291c as a decimal integer>.
 *
 *   <arc>.1.<n>  title-level policies — an authority certificate lists one per level it may confirm
 *                (notice 二(一)): 1 senior_full, 2 senior_associate, 3 intermediate, 4 assistant, 5 junior
 *   <arc>.2      demo marker on a root made for trying the service; refused in production
 *   <arc>.3      organisation opinion seal (电子印章, issue 16): may sign an organisation's opinions, never a title
 *
 * These numbers are published in keys.example/README.md and must never be reassigned: certificates already
 * issued carry them.
 */

import type { Level } from '../domain/levels.js';

/** 2.25 + the decimal value of UUID 0f814a4c-b87b-4ade-b1b0-cb097997291c, generated once for this service. */
export const POLICY_ARC = '2.25.20609733208270045411379534869894211868';

/** certificatePolicies OID per title level (`<arc>.1.<n>`). */
export const LEVEL_POLICY_OIDS: Readonly<Record<Level, string>> = {
  senior_full: `${POLICY_ARC}.1.1`,
  senior_associate: `${POLICY_ARC}.1.2`,
  intermediate: `${POLICY_ARC}.1.3`,
  assistant: `${POLICY_ARC}.1.4`,
  junior: `${POLICY_ARC}.1.5`,
};

/** certificatePolicies OID on a demo root: keys anyone can read, so production must refuse them. */
export const DEMO_POLICY_OID = `${POLICY_ARC}.2`;

/**
 * certificatePolicies OID of an organisation's electronic seal (issue 16): it may sign that organisation's
 * opinions (notice 四(二)、四(四): 出具审核意见，加盖单位公章) and nothing else — verifiers of title
 * certificates refuse a signer that carries it.
 */
export const SEAL_POLICY_OID = `${POLICY_ARC}.3`;

/** X.520 organizationIdentifier: holds the authority's organisation code (e.g. `GXZGB`) in its subject. */
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';

/** What a demo root says in its subject, for people reading the certificate rather than its policies. */
export const DEMO_SUBJECT_MARKER = 'DEMO 仅供试用 — not for production';
