/**
 * @module http/pages/admin/routes
 * The admin's console: the organisations below the admin's office with their parents (the forwarding tree of
 * 二(二)3), the people there — add one (their token is shown once), withdraw one's access —, and, for the
 * region title office's admin, the working-day calendar's overrides and the record of which years' national
 * and 壮族三月三 arrangements are announced (二(二)2, issue 13 items 7, 8). The pages call the same
 * services as the API (services/administration.ts) and show refusals in words.
 */
import type { Context, Hono } from 'hono';
import { isIsoDate } from '../../../domain/chineseDate.js';
import { DomainError } from '../../../domain/errors.js';
import { isRole, type Role } from '../../../domain/roles.js';
import { isOrganisationKind } from '../../../domain/routing.js';
import { addPerson, recordYearAnnouncement, removeCalendarOverride, revokePerson, saveOrganisation, setCalendarOverride, setOrganisationContact, setOrganisationUscc } from '../../../services/administration.js';
import type { Actor } from '../../../services/context.js';
import { createSeal, revokeSeal, rotateSeal } from '../../../services/seals.js';
import type { Person } from '../../../services/organisationReads.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { type Text } from '../i18n.js';
import { guard } from '../frame.js';
import { readForm } from '../../middleware/formBody.js';
import { adminPage } from './adminPage.js';

const str = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
/** A field as typed, for a domain check that must see hidden characters before anything is trimmed. */
const raw = (value: unknown) => (typeof value === 'string' ? value : '');

export function adminPageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const page = (c: Context<AppEnv>, actor: Actor, outcome?: Parameters<typeof adminPage>[3]) => adminPage(deps, c, actor, outcome);

  /** Runs an admin action; a refusal comes back on the console in words. */
  async function act(c: Context<AppEnv>, run: (actor: Actor, form: Record<string, unknown>) => Promise<{ notice?: Text; token?: { person: Person; token: string } }>) {
    const actor = await guard(c, 'person.manage');
    if (actor instanceof Response) return actor;
    try {
      return await page(c, actor, await run(actor, await readForm(c)));
    } catch (error) {
      if (error instanceof DomainError) return page(c, actor, { errors: [{ zh: error.zh, en: error.en }] });
      throw error;
    }
  }
  const invalid = (zh: string, en: string) => new DomainError('validation_failed', { zh, en });

  app.get('/console/admin', async (c) => {
    const actor = await guard(c, 'person.manage');
    return actor instanceof Response ? actor : page(c, actor);
  });

  app.post('/console/admin/organisations', (c) =>
    act(c, async (actor, form) => {
      const code = str(form.code);
      const name = str(form.name).normalize('NFC');
      const kind = str(form.kind);
      if (!/^[A-Z0-9]{2,20}$/.test(code)) throw invalid('机构代码须为 2–20 位大写字母或数字', 'The code must be 2–20 upper-case letters or digits');
      if (!name || name.length > 100) throw invalid('请填写机构名称（100 字以内）', 'Give the name (100 characters at most)');
      if (!isOrganisationKind(kind) || kind === 'issuing_authority') throw invalid('请选择机构类别', 'Choose the kind');
      // Issue 16: a USCC typed here is checked (GB 32100 check character); blank keeps the one on record.
      await saveOrganisation(serviceContext(c, deps), actor, { code, name, kind, parentCode: str(form.parentCode) || null }, undefined, str(form.uscc) || undefined);
      return { notice: { zh: `已保存机构 ${code} ${name}`, en: `Saved ${code} ${name}` } };
    }),
  );

  app.post('/console/admin/organisations/contact', (c) =>
    act(c, async (actor, form) => {
      const code = str(form.code);
      const { contact } = await setOrganisationContact(serviceContext(c, deps), actor, code, { phone: raw(form.phone), address: raw(form.address) });
      const shown = [contact.phone, contact.address].filter(Boolean).join(' · ');
      return { notice: shown ? { zh: `已保存 ${code} 的联系方式：${shown}`, en: `Saved the contact of ${code}: ${shown}` } : { zh: `已清除 ${code} 的联系方式`, en: `Cleared the contact of ${code}` } };
    }),
  );

  app.post('/console/admin/organisations/uscc', (c) =>
    act(c, async (actor, form) => {
      const { code, uscc } = await setOrganisationUscc(serviceContext(c, deps), actor, str(form.code), str(form.uscc));
      return { notice: uscc ? { zh: `已保存 ${code} 的统一社会信用代码 ${uscc}`, en: `Saved the unified social credit code of ${code}: ${uscc}` } : { zh: `已清除 ${code} 的统一社会信用代码`, en: `Cleared the unified social credit code of ${code}` } };
    }),
  );

  // Issue 16: electronic seals (四(二)、四(四) 加盖单位公章), the same services as the API.
  app.post('/console/admin/seals/create', (c) =>
    act(c, async (actor, form) => {
      const seal = await createSeal(serviceContext(c, deps), actor, str(form.code));
      return { notice: { zh: `已为 ${seal.orgCode} 创建电子印章`, en: `Created a seal for ${seal.orgCode}` } };
    }),
  );

  app.post('/console/admin/seals/rotate', (c) =>
    act(c, async (actor, form) => {
      const { seal } = await rotateSeal(serviceContext(c, deps), actor, str(form.code));
      return { notice: { zh: `已更换 ${seal.orgCode} 的电子印章；旧印章停用并保留`, en: `Replaced the seal of ${seal.orgCode}; the old one is kept, no longer in use` } };
    }),
  );

  app.post('/console/admin/seals/revoke', (c) =>
    act(c, async (actor, form) => {
      const reason = str(form.reason).normalize('NFC');
      if (!reason || reason.length > 200 || /[\p{Cc}\p{Cf}]/u.test(reason)) throw invalid('请写明注销原因（200 字以内，不含控制字符）', 'Give the reason (200 characters at most)');
      const seal = await revokeSeal(serviceContext(c, deps), actor, str(form.code), str(form.id), reason);
      return { notice: { zh: `已注销 ${seal.orgCode} 的电子印章，即时停止盖章`, en: `Revoked the seal of ${seal.orgCode}; it seals nothing from now on` } };
    }),
  );

  app.post('/console/admin/people', (c) =>
    act(c, async (actor, form) => {
      const name = str(form.name).normalize('NFC');
      const role = str(form.role);
      if (!/^[\p{L}\p{M}](?:[\p{L}\p{M}·'\- ]*[\p{L}\p{M}])?$/u.test(name) || name.length > 50) throw invalid('姓名只能由文字、间隔号、连字符、撇号和空格组成', 'A name may hold letters, middle dots, hyphens, apostrophes and spaces');
      if (!isRole(role)) throw invalid('请选择角色', 'Choose the role');
      const added = await addPerson(serviceContext(c, deps), actor, { orgCode: str(form.orgCode), role: role as Role, name, ...(str(form.idNumber).trim() ? { idNumber: str(form.idNumber).trim() } : {}) }); // issue 17: a holder's ID number
      return { notice: { zh: `已登记 ${name}`, en: `Added ${name}` }, token: added };
    }),
  );

  app.post('/console/admin/people/revoke', (c) =>
    act(c, async (actor, form) => {
      const { person, revoked } = await revokePerson(serviceContext(c, deps), actor, str(form.personId));
      return { notice: { zh: `已撤销 ${person.name} 的 ${revoked} 个令牌`, en: `Revoked ${revoked} token(s) of ${person.name}` } };
    }),
  );

  app.post('/console/admin/calendar', (c) =>
    act(c, async (actor, form) => {
      const date = str(form.date);
      const kind = str(form.kind);
      const note = str(form.note);
      if (!isIsoDate(date)) throw invalid('请填写有效日期', 'Give a real date');
      if (kind !== 'holiday' && kind !== 'workday') throw invalid('请选择放假或上班', 'Choose holiday or working day');
      if (!note || note.length > 200) throw invalid('请写明依据（200 字以内）', 'Say on what authority (200 characters at most)');
      await setCalendarOverride(serviceContext(c, deps), actor, { date, kind, note });
      return { notice: { zh: `已将 ${date} 设为${kind === 'holiday' ? '放假' : '上班'}`, en: `${date} is now a ${kind === 'holiday' ? 'holiday' : 'working day'}` } };
    }),
  );

  app.post('/console/admin/calendar/year', (c) =>
    act(c, async (actor, form) => {
      const year = Number(str(form.year));
      const note = str(form.note);
      if (!/^\d{4}$/.test(str(form.year))) throw invalid('请填写年度（四位数字）', 'Give the year (four digits)');
      if (!note || note.length > 200) throw invalid('请写明依据（200 字以内）', 'Say on what authority (200 characters at most)');
      const national = form.national === 'yes';
      const regional = form.regional === 'yes';
      await recordYearAnnouncement(serviceContext(c, deps), actor, { year, national, regional, note });
      return {
        notice:
          national && regional
            ? { zh: `${year} 年度的放假安排已确认公布，该年度的公示截止日不再是推算值`, en: `${year} is recorded as announced; its notice end dates are final` }
            : { zh: `已保存 ${year} 年度的公布情况；两项都确认前，该年度的公示截止日仍是推算值`, en: `Saved for ${year}; until both are confirmed its notice end dates stay provisional` },
      };
    }),
  );

  app.post('/console/admin/calendar/remove', (c) =>
    act(c, async (actor, form) => {
      const date = str(form.date);
      if (!isIsoDate(date)) throw invalid('请填写有效日期', 'Give a real date');
      await removeCalendarOverride(serviceContext(c, deps), actor, date);
      return { notice: { zh: `已取消 ${date} 的调整`, en: `Removed the override of ${date}` } };
    }),
  );
}
