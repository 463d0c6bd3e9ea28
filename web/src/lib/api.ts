/** Typed requests to our own origin. A 401 anywhere means the session ended: the page signs out. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly retryAfterSeconds: number | null = null,
    /** What a 4xx body said: the field it is about (`body.holidays[3].date`) and the server's (English) reason. */
    readonly problem: { field?: string; message?: string } | null = null,
  ) {
    super(`${url} answered ${status}`);
  }
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

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, init?: RequestInit): Promise<T> {
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
    const problem = response.status < 500 ? ((await response.json().catch(() => null)) as { field?: string; message?: string } | null) : null;
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

export function deleteJson<T>(url: string): Promise<T> {
  return request<T>('DELETE', url);
}
