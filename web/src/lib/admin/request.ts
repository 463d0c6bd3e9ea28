/**
 * Requests of the admin screens and the password dialog: any method, and a refusal keeps the
 * server's `{ code, params, field }` so a form can word it beside the field it is about.
 */
import type { ErrorResponse } from '@lianfang/server/api';
import { reportUnauthorized } from '../api';
import type { Problem } from '../problem';

export class Refusal extends Error {
  /** The refused input without its `body.`/`params.` prefix, e.g. `username`; null when none. */
  readonly field: string | null;
  /** What the server said, to word in the user's language. */
  readonly problem: Problem;

  constructor(
    readonly status: number,
    body: Partial<Pick<ErrorResponse, 'code' | 'field' | 'params' | 'message'>> = {},
  ) {
    super(`${status} ${body.field ?? ''} ${body.code ?? ''}`.trim());
    this.field = typeof body.field === 'string' ? body.field.replace(/^(body|querystring|params)[./]/, '') : null;
    this.problem = { status, ...(typeof body.code === 'string' ? { code: body.code } : {}), field: body.field ?? null, ...(body.params ? { params: body.params } : {}) };
  }
}

export async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.ok) return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  // Signed out elsewhere (or disabled): the page shows the sign-in form. Not for the password check's own 403.
  if (response.status === 401) reportUnauthorized();
  let error: Partial<ErrorResponse> = {};
  try {
    error = (await response.json()) as ErrorResponse;
  } catch {
    // Not JSON (a proxy's page): no field to show.
  }
  throw new Refusal(response.status, error);
}
