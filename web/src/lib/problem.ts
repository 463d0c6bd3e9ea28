/**
 * A server's refusal in the user's words. Every 4xx body and socket acknowledgement error carries a
 * `code` (with `params`) and the `field` it is about; this is the one place that words them, so no
 * screen shows the server's English `message` inside the Chinese interface.
 *
 * @example
 * wordProblem('zh-CN', { status: 400, code: 'too_long', field: 'body.name', params: { limit: 32 } }); // "名称：最多 32 个字"
 * // In a component: problemText(problem) from '$lib/i18n/index.svelte' (the current language).
 */
import { isMessageKey, translate, type Locale, type MessageKey } from './i18n/messages';

export interface Problem {
  status?: number;
  code?: string;
  /** The input it is about, as the server names it (`body.members.2.phone`). */
  field?: string | null;
  params?: Record<string, string | number>;
}

/** The code a status means, for answers that carry none (a proxy's page, an old server). */
function codeOfStatus(status: number | undefined): string {
  if (status === undefined || status === 0) return 'network';
  if (status >= 500) return status === 503 ? 'unavailable' : 'server_error';
  return ({ 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 415: 'unsupported_type', 422: 'unprocessable', 429: 'rate_limited' } as Record<number, string>)[status] ?? 'invalid';
}

/** The field's last named part (`body.members.2.phone` → `phone`), or null for the body as a whole. */
export function fieldName(field: string | null | undefined): string | null {
  if (!field) return null;
  const parts = field.split(/[.[\]/]+/).filter((p) => p !== '' && !/^\d+$/.test(p) && !['body', 'querystring', 'params', 'query', 'payload'].includes(p));
  return parts.at(-1) ?? null;
}

/** The field as the user knows it: its label where the dictionary has one, else its name. */
export function fieldLabel(locale: Locale, field: string | null | undefined): string | null {
  const name = fieldName(field);
  if (!name) return null;
  const key = `field.${name}`;
  return isMessageKey(key) ? translate(locale, key) : name;
}

/** The refusal in the current language: "名称：最多 32 个字", "不在您的权限范围内". */
export function wordProblem(locale: Locale, problem: Problem): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const code = problem.code && isMessageKey(`problem.${problem.code}`) ? problem.code : codeOfStatus(problem.status);
  const reason = t(`problem.${code}` as MessageKey, problem.params);
  const label = fieldLabel(locale, problem.field);
  // A schema reason ("at most 32 characters") needs the field's name to make sense; others are sentences.
  return label && SCHEMA_CODES.has(code) ? t('problem.withField', { field: label, reason }) : reason;
}

/** Codes that say what is wrong with a value, never read without the field's name. */
const SCHEMA_CODES = new Set(['required', 'too_short', 'too_long', 'too_few', 'too_many', 'too_small', 'too_big', 'wrong_type', 'not_allowed', 'bad_format', 'not_one_of', 'invalid']);
