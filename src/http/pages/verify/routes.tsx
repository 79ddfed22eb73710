/**
 * @module http/pages/verify/routes
 * The employer's lookup form `/verify`: the same answer as `POST /api/v1/lookup`, in words, never with the
 * photo; a lookup spends from the app's one rate limiter for requests without a proof.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { verifyByName } from '../../../services/verifyCertificate.js';
import { serviceContext, type AppDeps, type AppEnv, type RateLimiter } from '../../env.js';
import { shownNumber } from './verificationPage.js';
import { readForm } from '../../middleware/formBody.js';
import { HTTP_STATUS, methodName, verifierOrgCode, verifyPages } from './verifyPages.js';
import { noteVerification } from '../../../services/verificationSightings.js';

export function verifyPageRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, unproven: RateLimiter): void {
  const { render, formPage, limitedPage } = verifyPages(deps);

  // The lookup form: the same answer as the API, in words, never with the photo.
  app.get('/verify', (c) => formPage(c, { number: shownNumber(c.req.query('number') ?? ''), name: '' }, []));
  app.post(
    '/verify',
    unproven.guard(async (c, retryAfter) => {
      const form = await readForm(c);
      return limitedPage(c, { number: String(form.number ?? '').slice(0, 40), name: String(form.name ?? '').slice(0, 50) }, retryAfter);
    }),
    async (c) => {
      const form = await readForm(c);
      const values = { number: String(form.number ?? '').trim().slice(0, 40), name: String(form.name ?? '').trim().normalize('NFC').slice(0, 50) };
      if (!values.number || !values.name) return formPage(c, values, [{ zh: '请填写证书编号和持证人姓名', en: 'Enter the number and the holder’s name' }]);
      const ctx = serviceContext(c, deps);
      const v = await verifyByName(ctx, values.number, values.name, methodName);
      noteVerification(ctx, v, 'lookup', { orgCode: verifierOrgCode(c) }); // issue 17 item 4: a matching lookup only
      if (v.status === 'number_invalid') return formPage(c, values, [v.message], 422);
      return render(c, { form: { values, errors: [] }, result: { verification: v, number: v.certificate?.number ?? values.number } }, HTTP_STATUS[v.status]);
    },
  );
}
