/**
 * A console session as a browser gets it, without a browser: GET /login for the double-submit CSRF cookie
 * and token, then POST the person's token; returns the session cookie to send.
 */
export async function signInCookie(baseUrl: string, token: string): Promise<string> {
  const form = await fetch(`${baseUrl}/login`);
  const csrfCookie = /ecert_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrfCookie || !csrf) throw new Error('GET /login gave no CSRF cookie and token');
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl, Cookie: `ecert_csrf=${csrfCookie}` },
    body: new URLSearchParams({ _csrf: csrf, token }).toString(),
  });
  const session = /ecert_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 303 || !session) throw new Error(`sign-in answered ${res.status} without a session`);
  return `ecert_session=${session}`;
}
