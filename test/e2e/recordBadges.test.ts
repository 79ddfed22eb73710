/**
 * Issue 18 item 9: a 核实 record's result cannot be misread — 不真实 never looks like 真实有效. On the real server,
 * the list and the record page show each result with its own mark (✓ ✗ ?), words and colour class.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { phoneRecordBody } from '../support/fixtures.js';
import { signInCookie } from '../support/session.js';

let server: RunningServer;
let handler: string;
const ids = new Map<string, string>();

beforeAll(async () => {
  server = await startServer();
  handler = await server.token('GXZGB', 'handler');
  const subjects = {
    genuine: { holderName: '李四', idNumber: '450103198501010026' },
    not_genuine: { holderName: '王芳', idNumber: '450103198601010023' },
    unverifiable: { holderName: '赵敏', idNumber: '450103198701010020' },
  };
  for (const [result, who] of Object.entries(subjects)) {
    const body = phoneRecordBody({ result, record: result === 'genuine' ? '对方确认。' : '对方称查无此人。' });
    body.subject = { ...body.subject, ...who };
    const res = await fetch(`${server.baseUrl}/api/v1/verification-records`, { method: 'POST', headers: { Authorization: `Bearer ${handler}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(answer)).toBe(201);
    ids.set(result, answer.id);
  }
}, 120_000);
afterAll(async () => server?.stop());

const badge = (html: string, result: string) => new RegExp(`<span class="badge res-${result}"><span aria-hidden="true">([^<]+)</span>([^<]+)</span>`).exec(html);

describe('核实 results on the pages', () => {
  it('marks each result its own way on the list and on the record', async () => {
    const cookie = await signInCookie(server.baseUrl, handler);
    const list = await (await fetch(`${server.baseUrl}/console/records`, { headers: { Cookie: cookie } })).text();
    expect(badge(list, 'genuine')?.slice(1)).toEqual(['✓ ', '真实有效']);
    expect(badge(list, 'not_genuine')?.slice(1)).toEqual(['✗ ', '不真实']);
    expect(badge(list, 'unverifiable')?.[1]).toBe('? ');
    const record = await (await fetch(`${server.baseUrl}/console/records/${ids.get('not_genuine')}`, { headers: { Cookie: cookie } })).text();
    expect(badge(record, 'not_genuine')).not.toBeNull();
    expect(record).not.toContain('res-genuine');
    const css = await (await fetch(`${server.baseUrl}${/href="(\/assets\/[^"]+\.css)"/.exec(list)?.[1] ?? '/assets/app.css'}`)).text();
    expect(css).toMatch(/\.badge\.res-not_genuine\{[^}]*font-weight:700/);
  });
});
