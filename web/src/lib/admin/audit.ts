/**
 * The audit log as the admin screen reads it: the actions it can filter by (the server's
 * AuditAction type; a unit test pins the two lists together), the query for a filter and a page,
 * and an entry's detail as one line of text. Plain functions, so unit tests need no Svelte.
 */
import type { AuditAction, AuditEntry } from '@lianfang/server/api';
import { countyInputToTime } from '../format';
import type { MessageKey, MessageParams } from '../i18n/messages';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Every action, in the server's order: the record's keys must be exactly the server's
 * `AuditAction` type (imported as a type only), so the compiler catches a list that drifts.
 */
const ACTIONS_IN_ORDER: Record<AuditAction, true> = {
  login: true,
  logout: true,
  login_failed: true,
  lockout_clear: true,
  acknowledge: true,
  resolve: true,
  dispatch: true,
  assignment: true,
  config_change: true,
  import: true,
  device_issue: true,
  device_revoke: true,
  user_create: true,
  user_change: true,
  team_change: true,
  team_create: true,
  incident_create: true,
  incident_step: true,
  display_create: true,
  display_revoke: true,
  event_create: true,
  event_cancel: true,
  export: true,
};
export const AUDIT_ACTIONS = Object.keys(ACTIONS_IN_ORDER) as AuditAction[];
export type { AuditAction, AuditEntry };

export function actionLabelKey(action: string): MessageKey | null {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? (`audit.act.${action}` as MessageKey) : null;
}

export interface AuditFilter {
  action: AuditAction | '';
  actor: string;
  /** `YYYY-MM-DD` on the county clock, or ''. */
  fromDate: string;
  toDate: string;
}

export const PAGE_SIZE = 100;
const DAY = 86_400_000;

/** The filter's instants: from the start of `fromDate` to the end of `toDate`, county time. */
export function filterRange(filter: AuditFilter): { from?: number; to?: number } {
  const from = filter.fromDate ? countyInputToTime(`${filter.fromDate}T00:00`) : null;
  const toStart = filter.toDate ? countyInputToTime(`${filter.toDate}T00:00`) : null;
  return { ...(from !== null ? { from } : {}), ...(toStart !== null ? { to: toStart + DAY - 1 } : {}) };
}

/** The stream id's milliseconds: the server pages by them (an entry's `at` is the app's clock, which tests move). */
export function idTime(id: string): number {
  return Number(id.split('-')[0]);
}

/**
 * The query for one page. `before` is where the previous page ended: the server's `to` is
 * inclusive of that millisecond, so the next page repeats its last entries (the caller drops
 * them by id) rather than skip another entry written in the same millisecond.
 */
export function auditQuery(filter: AuditFilter, before: number | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter.action) params.set('action', filter.action);
  if (filter.actor.trim()) params.set('actor', filter.actor.trim());
  const range = filterRange(filter);
  if (range.from !== undefined) params.set('from', String(range.from));
  const to = before ?? range.to;
  if (to !== undefined) params.set('to', String(to));
  return `/api/admin/audit?${params}`;
}

/**
 * Appends an older page to what is shown. Returns the entries, the next page's `before`, and
 * whether the log has ended. A page of only repeats (more than a page in one millisecond) steps
 * back one millisecond so paging cannot loop.
 */
export function appendPage(shown: AuditEntry[], page: AuditEntry[], before: number | null): { entries: AuditEntry[]; before: number | null; ended: boolean } {
  const seen = new Set(shown.map((e) => e.id));
  const fresh = page.filter((e) => !seen.has(e.id));
  const entries = [...shown, ...fresh];
  const last = page.at(-1);
  if (!last) return { entries, before, ended: true };
  const lastTime = idTime(last.id);
  const next = fresh.length === 0 ? lastTime - 1 : lastTime;
  // A short page is everything the server held up to `to`.
  return { entries, before: next, ended: page.length < PAGE_SIZE || next < 0 };
}

const DETAIL_LABELS: Record<string, MessageKey> = {
  role: 'user.field.role',
  organisationId: 'user.field.organisation',
  teamId: 'user.field.team',
  name: 'user.field.name',
  password: 'user.field.password',
  disabled: 'user.field.status',
  addresses: 'audit.addresses',
};
const ROLE_NAMES = new Set(['admin', 'dispatcher', 'coordinator', 'leader', 'patrol']);

function detailValue(key: string, value: unknown, t: Translate): string {
  if (key === 'role' && typeof value === 'string' && ROLE_NAMES.has(value)) return t(`role.${value}` as MessageKey);
  if (key === 'disabled' && typeof value === 'boolean') return t(value ? 'users.disabled' : 'users.active');
  if (key === 'password' && value === 'changed') return t('audit.changed');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `角色: 协调员 · 所属单位: O-SC`: the detail as one line of text (the screen shows it as text,
 * never as markup). The user fields' names and values are translated; other keys stay as written.
 */
export function detailText(detail: Record<string, unknown>, t: Translate, max = 240): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === undefined || value === null) continue;
    const label = DETAIL_LABELS[key];
    parts.push(`${label ? t(label) : key}: ${detailValue(key, value, t)}`);
  }
  const text = parts.join(' · ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
