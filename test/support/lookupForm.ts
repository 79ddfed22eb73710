/**
 * The employer's lookup form (/verify) as a browser posts it: the double-submit CSRF cookie and token from
 * GET /verify, then the form, URL-encoded.
 */
export interface LookupForm {
  post(number: string, name: string, headers?: Record<string, string>): Promise<Response>;
}

/** Opens /verify once and returns a poster that reuses its cookie and token. */
export async function openLookupForm(baseUrl: string, headers: Record<string, string> = {}): Promise<LookupForm> {
  const page = await fetch(`${baseUrl}/verify`, { headers });
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!cookie.startsWith('ecert_csrf=') || !token) throw new Error('GET /verify gave no CSRF cookie and token');
  return {
    post: (number, name, more = {}) =>
      fetch(`${baseUrl}/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: [cookie, headers.Cookie].filter(Boolean).join('; '), ...more },
        body: new URLSearchParams({ _csrf: token, number, name }).toString(),
      }),
  };
}
