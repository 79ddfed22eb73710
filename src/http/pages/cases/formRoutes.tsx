/**
 * @module http/pages/cases/formRoutes
 * The applicant's application form (附件1) as a page: new and edit. It is judged with the API's schema and
 * saved by the same use cases as the API; a refusal re-renders the form with what was typed kept.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../../domain/errors.js';
import { createApplication } from '../../../services/applications/create.js';
import { updateApplication } from '../../../services/applications/update.js';
import { getApplication } from '../../../services/applications/view.js';
import type { Actor } from '../../../services/context.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { type Values } from './caseCommon.js';
import { applicationFormBody, applicationFormValues, ApplicationFormPage } from './caseForm.js';
import { applicationDomainErrors, applicationFormErrors } from './caseFormLabels.js';
import { langOf, type Text } from '../i18n.js';
import { ApplicationFormSchema } from '../../applicationFormSchema.js';
import { guard, render } from '../frame.js';
import { csrfFor } from '../../middleware/session.js';
import { readForm } from '../../middleware/formBody.js';
import { actorAtOf, allows, newRetryKey, refusedPage as refused, retryKey, stringsOf } from './caseRouteHelpers.js';

export function caseFormPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const actorAt = (actor: Actor) => actorAtOf(deps, actor);

  // ——— the application form ———

  const formPage = (c: Context<AppEnv>, options: { action: string; cancelHref: string; editing: boolean; values: Values; errors: Text[]; fieldErrors?: Record<string, Text> }) =>
    render(
      c,
      options.editing ? { zh: '修改申请', en: 'Edit the application' } : { zh: '填报重新确认申请', en: 'Apply for reconfirmation' },
      <ApplicationFormPage
        lang={langOf(c)}
        csrf={csrfFor(c)}
        retryKey={newRetryKey()}
        action={options.action}
        heading={options.editing ? { zh: '修改职称重新确认申请', en: 'Edit the reconfirmation application' } : { zh: '填报职称重新确认申请', en: 'Apply for reconfirmation of a title' }}
        submitText={options.editing ? { zh: '保存修改', en: 'Save the changes' } : { zh: '保存为草稿', en: 'Save as a draft' }}
        values={options.values}
        errors={options.errors}
        fieldErrors={options.fieldErrors}
        cancelHref={options.cancelHref}
      />,
    );

  /** Judges the posted form with the API's schema, then saves it; a refusal re-renders the form, values kept. */
  async function saveForm(c: Context<AppEnv>, options: { action: string; cancelHref: string; editing: boolean }, save: (form: z.output<typeof ApplicationFormSchema>, key: string | undefined) => Promise<string>) {
    const values = stringsOf(await readForm(c));
    const { body, rows } = applicationFormBody(values);
    const parsed = ApplicationFormSchema.safeParse(body);
    // A refusal is words beside each field (请选择取得方式), gathered at the top too — never the validator's text.
    const refusedWith = ({ summary, byField }: { summary: Text[]; byField: Record<string, Text> }) => formPage(c, { ...options, values, errors: summary, fieldErrors: byField });
    if (!parsed.success) return refusedWith(applicationFormErrors(parsed.error, values, rows));
    try {
      const id = await save(parsed.data, retryKey(values));
      return c.redirect(`/console/cases/${encodeURIComponent(id)}?done=${options.editing ? 'update' : 'create'}`, 303);
    } catch (error) {
      if (error instanceof DomainError) return refusedWith(applicationDomainErrors(error, rows));
      throw error;
    }
  }

  const NEW = { action: '/console/cases/new', cancelHref: '/console/cases', editing: false };

  app.get('/console/cases/new', async (c) => {
    const actor = await guard(c, 'application.create');
    if (actor instanceof Response) return actor;
    return formPage(c, { ...NEW, values: { 'applicant.name': actor.personName, 'applicant.idType': 'resident_id_card', 'eligibility.obtained.region': 'outside' }, errors: [] });
  });

  app.post('/console/cases/new', async (c) => {
    const actor = await guard(c, 'application.create');
    if (actor instanceof Response) return actor;
    return saveForm(c, NEW, async (form, key) => (await createApplication(serviceContext(c, deps), actor, form, key)).view.id);
  });

  const editOf = (id: string) => ({ action: `/console/cases/${encodeURIComponent(id)}/edit`, cancelHref: `/console/cases/${encodeURIComponent(id)}`, editing: true });

  app.get('/console/cases/:id/edit', async (c) => {
    const actor = await guard(c, 'application.update');
    if (actor instanceof Response) return actor;
    const id = c.req.param('id');
    try {
      const view = await getApplication(serviceContext(c, deps), actor, id);
      if (!allows(view, 'update', await actorAt(actor))) return c.redirect(`/console/cases/${encodeURIComponent(id)}`, 303);
      return formPage(c, { ...editOf(id), values: applicationFormValues(view.form), errors: [] });
    } catch (error) {
      if (error instanceof DomainError) return refused(c, error);
      throw error;
    }
  });

  app.post('/console/cases/:id/edit', async (c) => {
    const actor = await guard(c, 'application.update');
    if (actor instanceof Response) return actor;
    const id = c.req.param('id');
    return saveForm(c, editOf(id), async (form, key) => (await updateApplication(serviceContext(c, deps), actor, id, form, key)).id);
  });
}
