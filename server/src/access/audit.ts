/**
 * The audit log: who did what, when, from where, in a Redis stream. Written before the
 * action is acknowledged; browsed by admins with filters. Failed sign-ins go to a stream of
 * their own, capped on its own, so spraying random names cannot push the record of actions out.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { AuditAction, AuditEntry } from './auditShapes.ts';
export { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from './auditShapes.ts';

export interface AuditFilter {
  action?: AuditAction;
  actor?: string;
  from?: number;
  to?: number;
  limit: number;
}

const MAX_ENTRIES = 1_000_000;
const MAX_FAILED_LOGINS = 100_000;

export function createAuditLog(redis: Redis, keys: Keys) {
  /** Newest first, from one stream. Time bounds use the stream ids (written at `at`). */
  async function listStream(key: string, filter: AuditFilter): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let end = filter.to !== undefined ? String(filter.to) : '+';
    const start = filter.from !== undefined ? String(filter.from) : '-';
    // Page backwards until enough entries match the filter.
    for (let pages = 0; pages < 50 && out.length < filter.limit; pages++) {
      const page = await redis.xRevRange(key, end, start, { COUNT: 500 });
      if (page.length === 0) break;
      for (const { id, message } of page) {
        const m = message as Record<string, string>;
        if (filter.action && m.action !== filter.action) continue;
        if (filter.actor && m.actor !== filter.actor) continue;
        out.push({
          id,
          at: Number(m.at),
          actor: m.actor ?? '',
          role: m.role ?? '',
          action: m.action as AuditAction,
          target: m.target ?? '',
          ip: m.ip ?? '',
          detail: JSON.parse(m.detail ?? '{}') as Record<string, unknown>,
        });
        if (out.length >= filter.limit) break;
      }
      const last = page[page.length - 1]!.id;
      const [ms, seq] = last.split('-').map(Number) as [number, number];
      end = seq > 0 ? `${ms}-${seq - 1}` : `${ms - 1}`;
      if (page.length < 500) break;
    }
    return out;
  }

  const streamId = (id: string) => id.split('-').map(Number) as [number, number];
  const newerFirst = (a: AuditEntry, b: AuditEntry) => {
    const [am, as] = streamId(a.id);
    const [bm, bs] = streamId(b.id);
    return bm - am || bs - as;
  };

  return {
    async record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
      const failedLogin = entry.action === 'login_failed';
      await redis.xAdd(
        failedLogin ? keys.auditLoginFailures : keys.audit,
        '*',
        {
          at: String(entry.at),
          actor: entry.actor,
          role: entry.role,
          action: entry.action,
          target: entry.target,
          ip: entry.ip,
          detail: JSON.stringify(entry.detail),
        },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: failedLogin ? MAX_FAILED_LOGINS : MAX_ENTRIES } },
      );
    },

    /** Newest first, across both streams (failed sign-ins only when asked for or unfiltered). */
    async list(filter: AuditFilter): Promise<AuditEntry[]> {
      if (filter.action === 'login_failed') return listStream(keys.auditLoginFailures, filter);
      if (filter.action) return listStream(keys.audit, filter);
      // Each stream's newest `limit` hold the merged newest `limit`.
      const [actions, failures] = await Promise.all([listStream(keys.audit, filter), listStream(keys.auditLoginFailures, filter)]);
      return [...actions, ...failures].sort(newerFirst).slice(0, filter.limit);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
