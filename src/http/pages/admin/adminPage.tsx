/**
 * @module http/pages/admin/adminPage
 * The admin's console page: the organisations, their people, and (for the region title office's admin) the
 * working-day calendar with the announced years; with what just happened (a notice, a token shown once)
 * or what was refused. The routes are http/pages/admin/routes.
 */
import type { Context } from 'hono';
import { chinaDate } from '../../../domain/chineseDate.js';
import { isRole, ROLE_NAMES, ROLES, type Role } from '../../../domain/roles.js';
import { isRootOffice, kindsPlaceableBy } from '../../../domain/ranks.js';
import { ORGANISATION_KIND_NAMES, subtreeOf } from '../../../domain/routing.js';
import { yearStatus, type YearStatus } from '../../../domain/workingDays.js';
import type { Actor } from '../../../services/context.js';
import type { Person } from '../../../services/organisationReads.js';
import { serviceContext, type AppDeps, type AppEnv } from '../../env.js';
import { csrfFor } from '../../middleware/session.js';
import { Errors } from '../layout.js';
import { langOf, t, type Text } from '../i18n.js';
import { render } from '../frame.js';
import { organisationTree, organisationContacts, organisationUsccs, peopleAt } from '../../../services/organisationReads.js';
import { sealsAdministered } from '../../../services/seals.js';
import { SealsSection } from './sealsSection.js';
import { calendarAnnouncements, calendarOverrides } from '../../../services/calendarReads.js';

export const TITLE: Text = { zh: '机构、人员与工作日历', en: 'Organisations, people and calendar' };

/** The console, with what just happened (a notice, a token shown once) or what was refused. */
export async function adminPage(deps: AppDeps, c: Context<AppEnv>, actor: Actor, outcome: { errors?: Text[]; notice?: Text; token?: { person: Person; token: string } } = {}) {
  const lang = langOf(c);
  const csrf = csrfFor(c);
  const tree = await organisationTree(serviceContext(c, deps));
  const codes = subtreeOf(tree, actor.orgCode);
  const orgs = codes.map((code) => tree.get(code)!).sort((a, b) => a.code.localeCompare(b.code));
  const people = (await Promise.all(codes.map((code) => peopleAt(serviceContext(c, deps), code)))).flat();
  const contacts = await organisationContacts(serviceContext(c, deps));
  const usccs = await organisationUsccs(serviceContext(c, deps));
  const seals = await sealsAdministered(serviceContext(c, deps), actor);
  const regionAdmin = isRootOffice(tree, actor.orgCode);
  const placeable = kindsPlaceableBy(tree, actor.orgCode);
  const overrides = regionAdmin ? await calendarOverrides(serviceContext(c, deps)) : [];
  const announcements = regionAdmin ? await calendarAnnouncements(serviceContext(c, deps)) : [];
  const thisYear = Number(chinaDate(serviceContext(c, deps).now()).slice(0, 4));
  // This year and the next, and every year the admin has recorded: what is announced of each.
  const years = [...new Set([thisYear, thisYear + 1, ...announcements.map((a) => a.year)])].sort((a, b) => a - b);
  const statuses = regionAdmin ? years.map((y) => ({ status: yearStatus(y, announcements), record: announcements.find((a) => a.year === y) })) : [];
  const orgOptions = orgs.map((o) => <option value={o.code}>{`${o.code} ${o.name}`}</option>);
  return render(
    c,
    TITLE,
    <>
      <h1>{t(lang, TITLE)}</h1>
      <Errors lang={lang} errors={outcome.errors ?? []} />
      {outcome.notice ? (
        <div class="notice" role="status">
          {t(lang, outcome.notice)}
        </div>
      ) : null}
      {outcome.token ? (
        <section class="notice" aria-labelledby="token-heading">
          <h2 id="token-heading">{t(lang, { zh: `${outcome.token.person.name} 的访问令牌（只显示这一次）`, en: `Access token of ${outcome.token.person.name} (shown this once)` })}</h2>
          <p>
            <code data-token>{outcome.token.token}</code>
          </p>
          <p>{t(lang, { zh: '请通过安全渠道交给本人，本系统不再保存明文。', en: 'Hand it over through a safe channel; the service keeps no copy of it.' })}</p>
        </section>
      ) : null}

      <section aria-labelledby="orgs-heading">
        <h2 id="orgs-heading">{t(lang, { zh: '机构（逐级报送的上下级）', en: 'Organisations (the forwarding tree)' })}</h2>
        {/* A wide table scrolls sideways on a phone: the keyboard reaches it too (tabindex), named by the heading. */}
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby="orgs-heading">
          <table>
            <thead>
              <tr>
                <th>{t(lang, { zh: '代码', en: 'Code' })}</th>
                <th>{t(lang, { zh: '名称', en: 'Name' })}</th>
                <th>{t(lang, { zh: '类别', en: 'Kind' })}</th>
                <th>{t(lang, { zh: '上级', en: 'Parent' })}</th>
                <th>{t(lang, { zh: '联系方式（向核验单位显示）', en: 'Contact (shown to employers)' })}</th>
                <th>{t(lang, { zh: '统一社会信用代码', en: 'Unified social credit code' })}</th>
              </tr>
            </thead>
            <tbody>
              {orgs.map((o) => (
                <tr>
                  <td>{o.code}</td>
                  <td>{o.name}</td>
                  <td>{t(lang, ORGANISATION_KIND_NAMES[o.kind])}</td>
                  <td>{o.parentCode ?? '—'}</td>
                  <td>{[contacts.get(o.code)?.phone, contacts.get(o.code)?.address].filter(Boolean).join(' · ') || '—'}</td>
                  <td>{usccs.get(o.code) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {placeable.length ? (
          <form class="stack card" method="post" action="/console/admin/organisations">
            <input type="hidden" name="_csrf" value={csrf} />
            <h3>{t(lang, { zh: '登记或修改下级机构', en: 'Add or change an organisation below yours' })}</h3>
            <div class="grid2">
              <label>
                {t(lang, { zh: '机构代码', en: 'Code' })}
                <span class="hint">{t(lang, { zh: '2–20 位大写字母或数字', en: '2–20 upper-case letters or digits' })}</span>
                <input name="code" required pattern="[A-Z0-9]{2,20}" maxlength={20} />
              </label>
              <label>
                {t(lang, { zh: '机构名称', en: 'Name' })}
                <input name="name" required maxlength={100} />
              </label>
              <label>
                {t(lang, { zh: '类别', en: 'Kind' })}
                <select name="kind" required>
                  {placeable.map((k) => (
                    <option value={k}>{t(lang, ORGANISATION_KIND_NAMES[k])}</option>
                  ))}
                </select>
              </label>
              <label>
                {t(lang, { zh: '上级机构', en: 'Parent' })}
                <select name="parentCode" required>
                  {orgOptions}
                </select>
              </label>
              <label>
                {t(lang, { zh: '统一社会信用代码', en: 'Unified social credit code' })}
                <span class="hint">{t(lang, { zh: '18 位，留空则保持原值', en: '18 characters; leave blank to keep it' })}</span>
                <input name="uscc" maxlength={18} pattern="[0-9A-Za-z]{18}" autocomplete="off" />
              </label>
            </div>
            <div class="actions">
              <button type="submit">{t(lang, { zh: '保存机构', en: 'Save organisation' })}</button>
            </div>
          </form>
        ) : (
          <p>{t(lang, { zh: '本机构的管理员不能登记下级机构；如需增加或调整机构，请联系上级机构的管理员。', en: 'An admin of your office places no organisations; to add or change one, ask the admin of the office above yours.' })}</p>
        )}
        <form class="stack card" method="post" action="/console/admin/organisations/contact">
          <input type="hidden" name="_csrf" value={csrf} />
          <h3>{t(lang, { zh: '设定机构联系方式', en: "Set an organisation's contact" })}</h3>
          <p class="hint">
            {t(lang, {
              zh: '显示在本机构所发证书的核验页上，供用人单位咨询；核验时读取当前设定，不属于证书签名内容。留空即清除。',
              en: 'Shown on the verification page of the certificates it issued, for employers to ask; read at verification time, not part of the signed certificate. Leave blank to clear.',
            })}
          </p>
          <div class="grid2">
            <label>
              {t(lang, { zh: '机构', en: 'Organisation' })}
              <select name="code" required>
                {orgOptions}
              </select>
            </label>
            <label>
              {t(lang, { zh: '联系电话', en: 'Phone' })}
              <span class="hint">{t(lang, { zh: '如 0771-1234567转801', en: 'e.g. 0771-1234567转801' })}</span>
              <input name="phone" maxlength={40} inputmode="tel" />
            </label>
            <label>
              {t(lang, { zh: '联系地址', en: 'Address' })}
              <input name="address" maxlength={120} />
            </label>
          </div>
          <div class="actions">
            <button type="submit">{t(lang, { zh: '保存联系方式', en: 'Save contact' })}</button>
          </div>
        </form>
      </section>

      <SealsSection lang={lang} csrf={csrf} orgs={orgs} seals={seals} usccs={usccs} />

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">{t(lang, { zh: '人员', en: 'People' })}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(lang, { zh: '姓名', en: 'Name' })}</th>
                <th>{t(lang, { zh: '机构', en: 'Organisation' })}</th>
                <th>{t(lang, { zh: '角色', en: 'Role' })}</th>
                <th>{t(lang, { zh: '访问', en: 'Access' })}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr>
                  <td>{p.name}</td>
                  <td>{p.orgCode}</td>
                  <td>{isRole(p.role) ? t(lang, ROLE_NAMES[p.role]) : p.role}</td>
                  <td>
                    {p.id === actor.personId ? (
                      t(lang, { zh: '（本人）', en: '(you)' })
                    ) : (
                      <form method="post" action="/console/admin/people/revoke">
                        <input type="hidden" name="_csrf" value={csrf} />
                        <input type="hidden" name="personId" value={p.id} />
                        <button type="submit" class="secondary" aria-label={t(lang, { zh: `撤销令牌：${p.name}的全部令牌`, en: `Revoke tokens: every token of ${p.name}` })}>
                          {t(lang, { zh: '撤销令牌', en: 'Revoke tokens' })}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form class="stack card" method="post" action="/console/admin/people">
          <input type="hidden" name="_csrf" value={csrf} />
          <h3>{t(lang, { zh: '登记人员并发放令牌', en: 'Add a person and issue a token' })}</h3>
          <div class="grid2">
            <label>
              {t(lang, { zh: '姓名', en: 'Name' })}
              <input name="name" required maxlength={50} />
            </label>
            <label>
              {t(lang, { zh: '所在机构', en: 'Organisation' })}
              <select name="orgCode" required>
                {orgOptions}
              </select>
            </label>
            <label>
              {t(lang, { zh: '角色', en: 'Role' })}
              <select name="role" required>
                {ROLES.map((r) => (
                  <option value={r}>{t(lang, ROLE_NAMES[r])}</option>
                ))}
              </select>
            </label>
            <label>
              {t(lang, { zh: '居民身份证号码（持证人必填）', en: 'Resident ID number (required for a holder)' })}
              <span class="hint">{t(lang, { zh: '填写后，此人可在“我的证书”中查看载有此号码的证书', en: 'Then this person sees, under My certificates, every certificate bearing it' })}</span>
              <input name="idNumber" maxlength={18} autocomplete="off" />
            </label>
          </div>
          <div class="actions">
            <button type="submit">{t(lang, { zh: '登记并发放令牌', en: 'Add and issue a token' })}</button>
          </div>
        </form>
      </section>

      {regionAdmin ? (
        <section aria-labelledby="calendar-heading">
          <h2 id="calendar-heading">{t(lang, { zh: '工作日历调整（放假与调休）', en: 'Calendar overrides (holidays and make-up working days)' })}</h2>
          <p>
            {t(lang, {
              zh: '先逐日录入某年度的放假与调休上班日，再在下方确认该年度全国放假安排和“壮族三月三”放假安排均已公布；两项都确认后，该年度的公示截止日才不再是推算值（二(二)2）。',
              en: "Enter a year's holidays and make-up working days one by one, then confirm below that both the national schedule and the 壮族三月三 arrangement of the year are announced; only when both are confirmed are notice end dates in that year no longer provisional (二(二)2).",
            })}
          </p>
          <ul>
            {overrides.map((o) => (
              <li>
                {o.date} {o.kind === 'holiday' ? t(lang, { zh: '放假', en: 'holiday' }) : t(lang, { zh: '上班', en: 'working day' })} — {o.note}{' '}
                <form method="post" action="/console/admin/calendar/remove" class="inline">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="date" value={o.date} />
                  <button type="submit" class="secondary" aria-label={t(lang, { zh: `取消 ${o.date} 的调整`, en: `Remove the override of ${o.date}` })}>
                    {t(lang, { zh: '取消', en: 'Remove' })}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form class="stack card" method="post" action="/console/admin/calendar">
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="grid2">
              <label>
                {t(lang, { zh: '日期', en: 'Date' })}
                <input type="date" name="date" required />
              </label>
              <label>
                {t(lang, { zh: '这一天', en: 'This day is' })}
                <select name="kind" required>
                  <option value="holiday">{t(lang, { zh: '放假', en: 'a holiday' })}</option>
                  <option value="workday">{t(lang, { zh: '上班（调休）', en: 'a working day (make-up)' })}</option>
                </select>
              </label>
              <label>
                {t(lang, { zh: '依据', en: 'Authority for it' })}
                <span class="hint">{t(lang, { zh: '如 国务院办公厅关于2027年部分节假日安排的通知', en: "e.g. the State Council's holiday notice" })}</span>
                <input name="note" required maxlength={200} />
              </label>
            </div>
            <div class="actions">
              <button type="submit">{t(lang, { zh: '保存调整', en: 'Save override' })}</button>
            </div>
          </form>

          <h3 id="calendar-years-heading">{t(lang, { zh: '年度放假安排公布情况', en: 'Which years are announced' })}</h3>
          <table aria-labelledby="calendar-years-heading">
            <thead>
              <tr>
                <th scope="col">{t(lang, { zh: '年度', en: 'Year' })}</th>
                <th scope="col">{t(lang, { zh: '全国放假安排', en: 'National schedule' })}</th>
                <th scope="col">{t(lang, { zh: '“壮族三月三”放假安排', en: '壮族三月三 arrangement' })}</th>
                <th scope="col">{t(lang, { zh: '依据', en: 'Authority' })}</th>
              </tr>
            </thead>
            <tbody>
              {statuses.map(({ status, record }) => (
                <tr>
                  <th scope="row">{String(status.year)}</th>
                  <td>{announcedText(lang, status.national.announced, status.national.recordedBy)}</td>
                  <td>
                    {announcedText(lang, status.regional.announced, status.regional.recordedBy)}
                    {status.regional.holidays.length > 0 ? t(lang, { zh: `；放假 ${status.regional.holidays.join('、')}`, en: `; off ${status.regional.holidays.join(', ')}` }) : ''}
                    {status.regional.workdays.length > 0 ? t(lang, { zh: `；调休上班 ${status.regional.workdays.join('、')}`, en: `; worked in lieu ${status.regional.workdays.join(', ')}` }) : ''}
                  </td>
                  <td>{record?.note ?? status.regional.announcement ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form class="stack card" method="post" action="/console/admin/calendar/year">
            <input type="hidden" name="_csrf" value={csrf} />
            <div class="grid2">
              <label>
                {t(lang, { zh: '年度', en: 'Year' })}
                <input type="number" name="year" required min={2004} max={2099} value={String(thisYear + 1)} />
              </label>
              <label>
                {t(lang, { zh: '依据', en: 'Authority for it' })}
                <span class="hint">{t(lang, { zh: '两份通知的名称与文号', en: 'the titles and numbers of both notices' })}</span>
                <input name="note" required maxlength={200} />
              </label>
            </div>
            <label>
              <input type="checkbox" name="national" value="yes" />
              {t(lang, { zh: '国务院办公厅本年度节假日安排已公布，放假与调休上班日已在上方录入', en: "The State Council's holiday schedule for the year is announced and its days are entered above" })}
            </label>
            <label>
              <input type="checkbox" name="regional" value="yes" />
              {t(lang, { zh: '自治区人民政府办公厅本年度“壮族三月三”放假安排已公布，与初三、初四不同的日子已在上方录入', en: 'The region’s 壮族三月三 arrangement for the year is announced and the days that differ from 初三/初四 are entered above' })}
            </label>
            <div class="actions">
              <button type="submit">{t(lang, { zh: '保存公布情况', en: 'Save' })}</button>
            </div>
          </form>
        </section>
      ) : null}
    </>,
  );
}

/** "announced (shipped / entered by the admin)" or "not announced" in the page's language. */
function announcedText(lang: Parameters<typeof t>[0], announced: boolean, by: YearStatus['national']['recordedBy']): string {
  if (!announced) return t(lang, { zh: '尚未确认公布（推算）', en: 'not recorded as announced (computed)' });
  if (by === 'data') return t(lang, { zh: '已公布（系统内置）', en: 'announced (built in)' });
  if (by === 'admin') return t(lang, { zh: '已公布（管理员确认）', en: 'announced (confirmed by the admin)' });
  return t(lang, { zh: '不适用', en: 'not applicable' });
}
