/**
 * The public help routes, called without a session: every answer comes back as a value (never
 * a thrown error, never a sign-out), with the 4xx's `field` and a 429's Retry-After kept for the form.
 */
import type { PublicGridResponse, PublicHelpRequest, PublicHelpStatus } from '@lianfang/server/api';
import type { Problem } from '../problem';

export type PublicAnswer<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; field: string | null; message: string; problem: Problem; retryAfterSeconds: number | null }
  /** No answer: the network, or a timeout. The request may or may not have arrived. */
  | { ok: false; status: 0; field: null; message: string; problem: Problem; retryAfterSeconds: null };

/** A phone on a weak signal: long enough to get through, short enough to offer a resend. */
const TIMEOUT_MS = 20_000;

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<PublicAnswer<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method,
      // No session on these pages: a signed-in dispatcher opening one must not act as themselves.
      credentials: 'omit',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: controller.signal,
    });
    const parsed: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, data: parsed as T };
    const error = (parsed ?? {}) as { field?: unknown; message?: unknown; code?: unknown; params?: Problem['params'] };
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      status: response.status,
      field: typeof error.field === 'string' ? error.field : null,
      message: typeof error.message === 'string' ? error.message : response.statusText,
      problem: { status: response.status, field: typeof error.field === 'string' ? error.field : null, ...(typeof error.code === 'string' ? { code: error.code } : {}), ...(error.params ? { params: error.params } : {}) },
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
  } catch (error) {
    return { ok: false, status: 0, field: null, message: error instanceof Error ? error.message : String(error), problem: { code: 'network' }, retryAfterSeconds: null };
  } finally {
    clearTimeout(timer);
  }
}

export function fetchGrid(gridId: string): Promise<PublicAnswer<PublicGridResponse>> {
  return call('GET', `/api/public/grids/${encodeURIComponent(gridId)}`);
}

export function sendHelp(request: PublicHelpRequest): Promise<PublicAnswer<PublicHelpStatus>> {
  return call('POST', '/api/public/help', request);
}

export function fetchStatus(reference: string): Promise<PublicAnswer<PublicHelpStatus>> {
  return call('GET', `/api/public/help/${encodeURIComponent(reference)}`);
}
