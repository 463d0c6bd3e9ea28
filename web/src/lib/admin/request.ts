/**
 * Requests of the admin screens and the password dialog: any method, and a refusal keeps the
 * server's `{ message, field }` so a form can show it beside the field it is about.
 */
import type { ErrorResponse } from '@lianfang/server/api';
import { reportUnauthorized } from '../api';

export class Refusal extends Error {
  constructor(
    readonly status: number,
    /** The refused input without its `body.`/`params.` prefix, e.g. `username`; null when none. */
    readonly field: string | null,
    /** The server's reason, in English (the screen translates what it recognises). */
    readonly reason: string,
  ) {
    super(`${status} ${field ?? ''} ${reason}`.trim());
  }
}

export async function send<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
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
  const field = typeof error.field === 'string' ? error.field.replace(/^(body|querystring|params)[./]/, '') : null;
  throw new Refusal(response.status, field, typeof error.message === 'string' ? error.message : '');
}
