/**
 * @module http/pages/holder/routes
 * The holder's console `/console/my` (issue 17 items 1, 2, 5) and its forms: make a share link, end one,
 * end all. Open to any signed-in person; what it shows is decided by the ID number on the certificates
 * (services/holderCertificates), and a person who holds none gets a 403 page in words.
 */
import type { Context, Hono } from 'hono';
import { DomainError } from '../../../domain/errors.js';
import { may } from '../../../domain/roles.js';
import type { Actor } from '../../../services/context.js';
import { holderOverview } from '../../../services/holderCertificates.js';
import { createShare, endAllShares, endShare, listShares } from '../../../services/holderShares.js';
import { holderSdJwt } from '../../../services/holderSdJwt.js';
import { SD_JWT_VC_MEDIA_TYPE } from '../../../crypto/sdJwt.js';
import { holderVerifications } from '../../../services/verificationSightings.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { readForm } from '../../middleware/formBody.js';
import { csrfFor } from '../../middleware/session.js';
import { messagePage, render } from '../frame.js';
import { langOf, type Text } from '../i18n.js';
import { HolderPage, type HolderPageProps } from './holderPage.js';

const TITLE: Text = { zh: '我的证书', en: 'My certificates' };

export function holderPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const signedIn = (c: Context<AppEnv>): Actor | Response => {
    const session = c.get('session');
    return session ? session.actor : c.redirect(`/login?next=${encodeURIComponent('/console/my')}`, 303);
  };

  /** The page with what the holder holds now, and what the last form did. */
  const page = async (c: Context<AppEnv>, actor: Actor, extra: Pick<HolderPageProps, 'errors' | 'notice' | 'created' | 'typed'>, status = 200) => {
    const ctx = serviceContext(c, deps);
    try {
      // Who verified me (issue 17 item 4): a page of 20, older ones by `?before=` (the API's cursor).
      const before = /^\d{1,15}$/.test(c.req.query('before') ?? '') ? c.req.query('before') : undefined;
      const [overview, shares, seen] = await Promise.all([holderOverview(ctx, actor), listShares(ctx, actor), holderVerifications(ctx, actor, { limit: 20, before })]);
      const verifications = { ...seen, older: before !== undefined };
      const props: HolderPageProps = { lang: langOf(c), csrf: csrfFor(c), ...overview, shares, verifications, caseLinks: may(actor.role, 'application.read'), ...extra };
      return render(c, TITLE, <HolderPage {...props} />, { status });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'forbidden') return messagePage(c, 403, { zh: '无权访问', en: 'Not allowed' }, { zh: error.zh, en: error.en });
      throw error;
    }
  };

  /** Runs a form's use case; a refusal comes back as the page with the words and what was typed. */
  const act = async (c: Context<AppEnv>, run: (actor: Actor) => Promise<Pick<HolderPageProps, 'notice' | 'created'>>, typed?: HolderPageProps['typed']) => {
    const actor = signedIn(c);
    if (actor instanceof Response) return actor;
    try {
      return await page(c, actor, { errors: [], ...(await run(actor)) });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'busy' || error.code === 'storage_full') throw error;
      if (error.code === 'forbidden') return page(c, actor, { errors: [] });
      const status = error.code === 'conflict' ? 409 : error.code === 'not_found' ? 404 : 422;
      return page(c, actor, { errors: [{ zh: error.zh, en: error.en }], typed }, status);
    }
  };

  app.get('/console/my', async (c) => {
    const actor = signedIn(c);
    return actor instanceof Response ? actor : page(c, actor, { errors: [] });
  });

  // Issue 17 item 3: the holder's SD-JWT VC from the console session; the full ID number only with ?idNumber=yes (四(四)).
  app.get('/console/my/sd-jwt/:number', async (c) => {
    const actor = signedIn(c);
    if (actor instanceof Response) return actor;
    const number = c.req.param('number').slice(0, 40);
    try {
      const sdJwt = await holderSdJwt(serviceContext(c, deps), actor, number, { idNumber: c.req.query('idNumber') === 'yes' });
      const file = `${number.replace(/[^A-Za-z0-9-]/g, '')}.sd-jwt`;
      return c.body(sdJwt, 200, { 'Content-Type': SD_JWT_VC_MEDIA_TYPE, 'Content-Disposition': `attachment; filename="${file}"`, 'Cache-Control': 'private, no-store' });
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'forbidden' || error.code === 'not_found')) {
        return messagePage(c, error.code === 'forbidden' ? 403 : 404, { zh: '无法下载', en: 'Cannot download' }, { zh: error.zh, en: error.en });
      }
      throw error;
    }
  });

  app.post('/console/my/shares', async (c) => {
    const form = await readForm(c);
    const typed = { certificateNumber: String(form.certificateNumber ?? '').slice(0, 40), purpose: String(form.purpose ?? '').slice(0, 200), days: String(form.days ?? '').slice(0, 10), idNumber: form.discloseIdNumber === 'yes' };
    return act(
      c,
      async (actor) => {
        const days = /^\d{1,3}$/.test(typed.days.trim()) ? Number(typed.days.trim()) : Number.NaN;
        const made = await createShare(serviceContext(c, deps), actor, { certificateNumber: typed.certificateNumber, purpose: String(form.purpose ?? ''), days, disclose: { idNumber: typed.idNumber } });
        return { created: { url: made.url, expiresAt: made.expiresAt } };
      },
      typed,
    );
  });

  app.post('/console/my/shares/end-all', (c) =>
    act(c, async (actor) => {
      const ended = await endAllShares(serviceContext(c, deps), actor);
      return { notice: { zh: `已终止 ${ended} 个分享链接，它们立即失效。`, en: `${ended} share link(s) ended; they stop opening at once.` } };
    }),
  );

  app.post('/console/my/shares/:id/end', (c) =>
    act(c, async (actor) => {
      await endShare(serviceContext(c, deps), actor, c.req.param('id').slice(0, 60));
      return { notice: { zh: '分享链接已终止，立即失效。', en: 'The share link is ended; it stops opening at once.' } };
    }),
  );
}
