/** Typed requests to our own origin. A 401 anywhere means the session ended: the page signs out. */
import type { Problem } from './problem';

export class HttpError extends Error {
  /** What the server said, to word with `problemText` (status always; code, field and params from a 4xx body). */
  readonly problem: Problem & { message?: string };

  constructor(
    readonly status: number,
    readonly url: string,
    readonly retryAfterSeconds: number | null = null,
    body: { code?: string; field?: string; message?: string; params?: Record<string, string | number> } | null = null,
  ) {
    super(`${url} answered ${status}`);
    this.problem = { status, ...(body ?? {}) };
  }
}

/** The problem behind any failure of a request: the server's answer, or a network failure (no status). */
export function problemOf(err: unknown): Problem {
  return err instanceof HttpError ? err.problem : { code: 'network' };
}

let unauthorized: (() => void) | null = null;

/** Registers what to do when the server says the session is gone (one handler: the session). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

/** For other channels (the live socket) that learn the session is gone. */
export function reportUnauthorized(): void {
  unauthorized?.();
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init?.headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    if (response.status === 401 && !url.startsWith('/api/auth/')) unauthorized?.();
    const retryAfter = Number(response.headers.get('retry-after'));
    const problem = response.status < 500 ? ((await response.json().catch(() => null)) as ConstructorParameters<typeof HttpError>[3]) : null;
    throw new HttpError(response.status, url, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null, problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  return request<T>('GET', url, undefined, init);
}

export function postJson<T>(url: string, body?: unknown): Promise<T> {
  return request<T>('POST', url, body ?? {});
}

export function putJson<T>(url: string, body: unknown): Promise<T> {
  return request<T>('PUT', url, body);
}

export function patchJson<T>(url: string, body: unknown): Promise<T> {
  return request<T>('PATCH', url, body);
}

export function deleteJson<T>(url: string): Promise<T> {
  return request<T>('DELETE', url);
}
