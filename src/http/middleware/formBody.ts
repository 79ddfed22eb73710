/**
 * @module http/middleware/formBody
 * Reads a page form's body (urlencoded or multipart) once, safely. A body that is not a form at all —
 * multipart without a boundary or with a broken one, a truncated part, a client that hung up — is the
 * sender's mistake: it is thrown as {@link UnreadableForm}, which app.onError answers with 400, never 500.
 */
import type { Context } from 'hono';
import type { BodyData } from 'hono/utils/body';

/** The request body could not be read as a form. */
export class UnreadableForm extends Error {
  override readonly name = 'UnreadableForm';
}

/**
 * The form's fields (Hono's parseBody, cached for the request: the CSRF check and the route share one read).
 * @example const form = await readForm(c); const name = typeof form.name === 'string' ? form.name : '';
 */
export async function readForm(c: Context): Promise<BodyData> {
  try {
    return await c.req.parseBody();
  } catch (error) {
    throw new UnreadableForm('the request body is not a readable form', { cause: error });
  }
}
