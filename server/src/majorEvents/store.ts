/**
 * Major events in Redis: the event (HSETNX on its client id), the start index, the timeline
 * stream, the staffing state and post check-ins. Every write that must happen once is a script.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { loadScript } from '../redis/script.ts';
import type { StoredEvent, TimelineEntry } from './schemas.ts';

const CREATE = loadScript(new URL('./lua/create.lua', import.meta.url));
const CANCEL = loadScript(new URL('./lua/cancel.lua', import.meta.url));
const CHECK_IN = loadScript(new URL('./lua/checkIn.lua', import.meta.url));
const STAFFING = loadScript(new URL('./lua/staffing.lua', import.meta.url));

/** What one look at an event's posts found. */
export interface StaffingLook {
  posts: { postId: string; state: 'staffed' | 'short'; count: number; teams: string[] }[];
  /** Each assigned team of each post: standing there or not. */
  assigned: { postId: string; teamId: string; present: boolean }[];
}

/** What the staffing script changed. */
export interface StaffingResult {
  changedPosts: { postId: string; state: string; count: number }[];
  /** Assigned teams away after arriving, and since when. */
  away: { postId: string; teamId: string; since: number }[];
  back: { postId: string; teamId: string }[];
}

const str = (v: string | undefined) => (v === undefined || v === '' ? null : v);
const int = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export function createEventStore(redis: Redis, keys: Keys) {
  return {
    async get(id: string): Promise<StoredEvent | undefined> {
      const json = await redis.hGet(keys.events, id);
      return json ? (JSON.parse(json) as StoredEvent) : undefined;
    },
    /** Newest start first. */
    async list(limit: number): Promise<StoredEvent[]> {
      const ids = await redis.zRange(keys.eventsByStart, '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit } });
      const rows = ids.length ? await redis.hmGet(keys.events, ids) : [];
      return rows.filter((r): r is string => !!r).map((r) => JSON.parse(r) as StoredEvent);
    },
    /** Events whose window holds `now` (starts within the last 30 days), not cancelled. */
    async active(now: number): Promise<StoredEvent[]> {
      const ids = await redis.zRange(keys.eventsByStart, now - 30 * 86_400_000, now, { BY: 'SCORE' });
      const rows = ids.length ? await redis.hmGet(keys.events, ids) : [];
      return rows
        .filter((r): r is string => !!r)
        .map((r) => JSON.parse(r) as StoredEvent)
        .filter((e) => !e.cancelled && e.start <= now && now < e.end);
    },
    /** 1 when stored, 0 when the id existed. */
    async create(event: StoredEvent, now: number): Promise<boolean> {
      return (await CREATE.run(redis, [keys.events, keys.eventsByStart, keys.eventLog(event.id)], [event.id, JSON.stringify(event), event.start, now, event.by])) === 1;
    },
    async cancel(id: string, by: string, now: number): Promise<{ status: 'ok' | 'same' | 'missing'; event: StoredEvent | undefined }> {
      const [status, json] = (await CANCEL.run(redis, [keys.events, keys.eventLog(id)], [id, now, by])) as [string, string];
      return { status: status as 'ok' | 'same' | 'missing', event: json ? (JSON.parse(json) as StoredEvent) : undefined };
    },
    async checkIn(eventId: string, clientId: string, teamId: string, postId: string, time: number, by: string, keepMs: number): Promise<{ stored: boolean; teamId: string; postId: string; time: number; by: string }> {
      const record = [teamId, postId, time, by].join('\t');
      const [ok, stored] = (await CHECK_IN.run(redis, [keys.eventCheckInId(eventId, clientId), keys.eventLastCheckIn(eventId), keys.eventLog(eventId)], [record, keepMs, teamId, postId, time, by])) as [string, string];
      const [t = '', p = '', at = '0', who = ''] = stored.split('\t');
      return { stored: ok === '1', teamId: t, postId: p, time: Number(at), by: who };
    },
    /** Team id → its latest check-in at one of the event's posts. */
    async lastCheckIns(eventId: string): Promise<Map<string, { postId: string; time: number }>> {
      const h = await redis.hGetAll(keys.eventLastCheckIn(eventId));
      return new Map(Object.entries(h).map(([team, v]) => {
        const [postId = '', time = '0'] = v.split('\t');
        return [team, { postId, time: Number(time) }];
      }));
    },
    async recordStaffing(eventId: string, look: StaffingLook, now: number): Promise<StaffingResult> {
      const args: Array<string | number> = [now, look.posts.length];
      for (const p of look.posts) args.push(p.postId, p.state, p.count, p.teams.join(','));
      args.push(look.assigned.length);
      for (const a of look.assigned) args.push(a.postId, a.teamId, a.present ? '1' : '0');
      const flat = (await STAFFING.run(redis, [keys.eventState(eventId), keys.eventLog(eventId)], args)) as string[];
      const out: StaffingResult = { changedPosts: [], away: [], back: [] };
      for (let i = 0; i < flat.length; ) {
        const tag = flat[i];
        if (tag === 'post') {
          out.changedPosts.push({ postId: flat[i + 1]!, state: flat[i + 2]!, count: Number(flat[i + 3]) });
          i += 4;
        } else if (tag === 'away') {
          out.away.push({ postId: flat[i + 1]!, teamId: flat[i + 2]!, since: Number(flat[i + 3]) });
          i += 4;
        } else {
          out.back.push({ postId: flat[i + 1]!, teamId: flat[i + 2]! });
          i += 3;
        }
      }
      return out;
    },
    async addAlert(eventId: string, postId: string, alertId: string): Promise<void> {
      await redis.sAdd(keys.eventAlerts(eventId), `${postId}\t${alertId}`);
    },
    /** The post_left alerts raised for the event, with the post each is about. */
    async alerts(eventId: string): Promise<{ postId: string; alertId: string }[]> {
      return (await redis.sMembers(keys.eventAlerts(eventId))).map((m) => {
        const [postId = '', alertId = ''] = m.split('\t');
        return { postId, alertId };
      });
    },
    /** The timeline as stored, oldest first. */
    async timeline(eventId: string): Promise<TimelineEntry[]> {
      const rows = await redis.xRange(keys.eventLog(eventId), '-', '+', { COUNT: 20_000 });
      return rows.map(({ message: m }) => ({
        at: Number(m.t),
        kind: m.k as TimelineEntry['kind'],
        postId: str(m.p),
        teamId: m.k === 'staffing' ? null : str(m.tm),
        state: (str(m.s) as TimelineEntry['state']) ?? null,
        count: int(m.c),
        by: str(m.by),
        incidentId: null,
        alertId: null,
      }));
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
