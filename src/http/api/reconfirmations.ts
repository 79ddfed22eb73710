/**
 * @module http/api/reconfirmations
 * Reconfirmation (职称重新确认) endpoints. `POST /api/v1/reconfirmations/eligibility` (no login) judges a
 * case under notice 一 and answers the authority (二(一)), submitters (二(二)3) and materials (二(三)).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { chinaDate } from '../../domain/chineseDate.js';
import { refuseApplicantEmployerChoice } from '../../domain/employerChoice.js';
import { assessEligibility } from '../../domain/eligibility.js';
import { serviceContext, type AppDeps, type AppEnv } from '../env.js';
import { ProblemSchema } from '../schemas.js';

import { EligibilityRequestSchema, EligibilityResponseSchema } from '../eligibilitySchemas.js';

const eligibility = createRoute({
  method: 'post',
  path: '/api/v1/reconfirmations/eligibility',
  summary: '职称重新确认资格判断 / Reconfirmation eligibility',
  operationId: 'assessEligibility',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: EligibilityRequestSchema } } } },
  responses: {
    200: { content: { 'application/json': { schema: EligibilityResponseSchema } }, description: 'decision with every reason and its clause, the confirming authority, submitters and materials' },
    422: { content: { 'application/problem+json': { schema: ProblemSchema } }, description: "an invalid field, or an employer's choice given (the unit's to record, 一(一)): the problem names it (validation_failed)" },
  },
});

export function reconfirmationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(eligibility, (c) => {
    const { asOf: given, ...input } = c.req.valid('json');
    refuseApplicantEmployerChoice(input.employerChoice, 'employerChoice'); // 一(一) sentence 2: the unit's to record
    const asOf = given ?? chinaDate(serviceContext(c, deps).now());
    return c.json({ asOf, ...assessEligibility(input, asOf) }, 200);
  });
}
