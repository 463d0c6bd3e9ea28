/**
 * Incidents in Redis. The rules of the lifecycle live in TypeScript (geo's transition table);
 * each write is one Lua script (`lua/`, called through incidentScripts.ts) that first checks
 * the incident is still in the state and at the version the caller read, then writes it and
 * every index at once. So two server processes, or two dispatchers racing on one incident, can
 * never both change it: the loser's script answers `conflict` with what is there now, and the
 * caller re-reads and decides again.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { IncidentView } from './schemas.ts';
import { incidentCreatedTally, incidentTally } from '../reports/tally.ts';
import { mediationTally } from '../mediation/tally.ts';
import { runCreateIncident, runDropIncidentDue, runForgetIncidents, runWriteIncident, type CreateResult, type WriteResult } from './incidentScripts.ts';

/** An incident as stored: the view plus what only the server needs. */
export interface StoredIncident extends IncidentView {
  /** "<scope>:<client id>" of the create request (the retry key). */
  clientKey: string;
  /** Username, team call sign or 'public' of whoever reported it. */
  createdBy: string;
  /** The latest dispatch: who, and the version they saw (tells a retry from a race). */
  lastDispatch: { by: string; version: number; teamId: string } | null;
}

/** Incidents forgotten per script call: one call holds Redis only briefly. */
const FORGET_BATCH = 500;

export function createIncidentStore(redis: Redis, keys: Keys, timeZone = 'Asia/Shanghai') {
  const parse = (json: string) => JSON.parse(json) as StoredIncident;

  async function getMany(ids: string[]): Promise<StoredIncident[]> {
    const out: StoredIncident[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await redis.hmGet(keys.incidents, ids.slice(i, i + 500));
      for (const r of rows) if (typeof r === 'string') out.push(parse(r));
    }
    return out;
  }

  return {
    async get(id: string): Promise<StoredIncident | undefined> {
      const json = await redis.hGet(keys.incidents, id);
      return json ? parse(json) : undefined;
    },

    getMany,

    async idForReference(reference: string): Promise<string | undefined> {
      return (await redis.hGet(keys.incidentRefs, reference)) ?? undefined;
    },

    /** Stores a new incident unless the client key names one already (then answers that one); counted in the report's day with it. */
    async create(incident: Omit<StoredIncident, 'id'>): Promise<CreateResult> {
      return runCreateIncident(redis, keys, incident, incidentCreatedTally(incident, incident.createdAt, timeZone));
    },

    /**
     * Writes `next` if the incident is still at `expected`'s version and state; the step counts in
     * the assessment report with it, and its mediation record (if any) in the mediation statistics.
     */
    async write(now: number, expected: StoredIncident, next: StoredIncident): Promise<WriteResult> {
      const spec = [incidentTally(expected, next, now, timeZone), mediationTally(expected, next, timeZone)].filter(Boolean).join('\n');
      return runWriteIncident(redis, keys, now, expected, next, spec);
    },

    /** Ids whose next step is due by `now` (and not yet alerted), earliest first. */
    async dueBy(now: number, limit: number): Promise<{ id: string; at: number }[]> {
      const rows = await redis.zRangeByScoreWithScores(keys.incidentsDue, '-inf', now, { LIMIT: { offset: 0, count: limit } });
      return rows.map((r) => ({ id: r.value, at: r.score }));
    },

    /** Takes the incident out of the due set if it is still due at `at` (a late alert was raised for it). */
    async dropDue(id: string, at: number): Promise<void> {
      await runDropIncidentDue(redis, keys, id, at);
    },

    /** Forgets incidents resolved before `before`; resolves how many. */
    async forget(before: number): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await runForgetIncidents(redis, keys, before, FORGET_BATCH);
        total += n;
        if (n < FORGET_BATCH) return total;
      }
    },

    /** Ids newest first with createdAt in [from, to], a page at a time. */
    async idsByTime(from: number, to: number, offset: number, count: number): Promise<string[]> {
      return redis.zRange(keys.incidentsByTime, to, from, { BY: 'SCORE', REV: true, LIMIT: { offset, count } });
    },

    async openIds(): Promise<string[]> {
      return redis.sMembers(keys.incidentsOpen);
    },

    async teamIds(teamId: string): Promise<string[]> {
      return redis.sMembers(keys.teamIncidents(teamId));
    },
  };
}

export type IncidentStore = ReturnType<typeof createIncidentStore>;
