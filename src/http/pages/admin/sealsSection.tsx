/**
 * @module http/pages/admin/sealsSection
 * The console's electronic seals (电子印章, issue 16): each organisation the admin administers with its
 * seals, and the buttons to create, rotate and revoke them (notice 四(二)、四(四): 加盖单位公章). The routes
 * are in http/pages/admin/routes.
 */
import type { OrgNode } from '../../../domain/routing.js';
import type { Seal } from '../../../services/seals.js';
import { t, type Lang, type Text } from '../i18n.js';

const STATUS: Record<Seal['status'], Text> = {
  active: { zh: '在用', en: 'In use' },
  retired: { zh: '已更换（保留以核验既往意见）', en: 'Replaced (kept to verify past opinions)' },
  revoked: { zh: '已注销', en: 'Revoked' },
};

const day = (iso: string) => iso.slice(0, 10);

export function SealsSection(props: { lang: Lang; csrf: string; orgs: OrgNode[]; seals: Map<string, Seal[]>; usccs: Map<string, string> }) {
  const { lang, csrf } = props;
  const button = (action: string, code: string, label: Text, aria: Text, extra?: unknown) => (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="code" value={code} />
      {extra}
      <button type="submit" class="secondary" aria-label={t(lang, aria)}>
        {t(lang, label)}
      </button>
    </form>
  );
  return (
    <section aria-labelledby="seals-heading">
      <h2 id="seals-heading">{t(lang, { zh: '电子印章', en: 'Electronic seals' })}</h2>
      <p class="hint">
        {t(lang, {
          zh: '各单位用本单位的电子印章在审核意见上盖章。创建前须先登记统一社会信用代码；更换后旧印章停用但保留，已盖章的意见仍可核验；注销后立即停止盖章。',
          en: "Each organisation seals its own opinions with its electronic seal. Enter its unified social credit code first; a replaced seal stops sealing but is kept so past opinions still verify; a revoked seal stops sealing at once.",
        })}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t(lang, { zh: '机构', en: 'Organisation' })}</th>
              <th>{t(lang, { zh: '统一社会信用代码', en: 'Unified social credit code' })}</th>
              <th>{t(lang, { zh: '印章', en: 'Seals' })}</th>
              <th>{t(lang, { zh: '操作', en: 'Actions' })}</th>
            </tr>
          </thead>
          <tbody>
            {props.orgs.map((o) => {
              const seals = props.seals.get(o.code) ?? [];
              const active = seals.find((s) => s.status === 'active');
              return (
                <tr>
                  <td>{`${o.code} ${o.name}`}</td>
                  <td>{props.usccs.get(o.code) ?? '—'}</td>
                  <td>
                    {seals.length === 0 ? t(lang, { zh: '尚未设置', en: 'None yet' }) : null}
                    <ul>
                      {seals.map((s) => (
                        <li data-seal={s.id}>
                          {`${t(lang, STATUS[s.status])} · ${t(lang, { zh: '有效期', en: 'valid' })} ${day(s.notBefore)}–${day(s.notAfter)}`}
                          {s.revokedAt ? ` · ${t(lang, { zh: '注销于', en: 'revoked on' })} ${day(s.revokedAt)}（${s.revocationReason ?? ''}）` : ''}
                          {s.status !== 'revoked'
                            ? button(
                                '/console/admin/seals/revoke',
                                o.code,
                                { zh: '注销', en: 'Revoke' },
                                { zh: `注销 ${o.name} 的这枚电子印章`, en: `Revoke this seal of ${o.name}` },
                                <>
                                  <input type="hidden" name="id" value={s.id} />
                                  <label>
                                    {t(lang, { zh: '注销原因', en: 'Reason' })}
                                    <input name="reason" required maxlength={200} />
                                  </label>
                                </>,
                              )
                            : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {active
                      ? button('/console/admin/seals/rotate', o.code, { zh: '更换印章', en: 'Replace seal' }, { zh: `更换印章：${o.name}`, en: `Replace seal: ${o.name}` })
                      : button('/console/admin/seals/create', o.code, { zh: '创建印章', en: 'Create seal' }, { zh: `创建印章：${o.name}`, en: `Create seal: ${o.name}` })}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form class="stack card" method="post" action="/console/admin/organisations/uscc">
        <input type="hidden" name="_csrf" value={csrf} />
        <h3>{t(lang, { zh: '设定统一社会信用代码', en: 'Set a unified social credit code' })}</h3>
        <div class="grid2">
          <label>
            {t(lang, { zh: '机构', en: 'Organisation' })}
            <select name="code" required>
              {props.orgs.map((o) => (
                <option value={o.code}>{`${o.code} ${o.name}`}</option>
              ))}
            </select>
          </label>
          <label>
            {t(lang, { zh: '统一社会信用代码', en: 'Unified social credit code' })}
            <span class="hint">{t(lang, { zh: '18 位，留空即清除', en: '18 characters; leave blank to clear' })}</span>
            <input name="uscc" maxlength={18} autocomplete="off" />
          </label>
        </div>
        <div class="actions">
          <button type="submit">{t(lang, { zh: '保存统一社会信用代码', en: 'Save code' })}</button>
        </div>
      </form>
    </section>
  );
}
