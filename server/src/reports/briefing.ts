/**
 * The daily briefing (日报): the previous county day in a page, from the report's day hash
 * (`rep:d:<day>`), the alerts alive that day, the day's incidents (by `inc:time`, never a scan of
 * all) and the major events held. Each morning after BRIEFING_AT the first process to tick claims
 * the day (`brief:claim:<day>`, SET NX), rolls up the tracks, compiles it and stores it with SET
 * NX on `brief:<day>`: whichever processes tick, it is stored once and announced once.
 */
import { addDays, localDate, localParts, localToEpoch, type IncidentState } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { assessmentRows, readFigures } from './report.ts';
import type { CountyContext } from './context.ts';
import type { Briefing } from './briefingSchemas.ts';

export type { Briefing };

/** How long a claim holds the day while its process compiles it (one that dies frees it then). */
const CLAIM_MS = 120_000;
/** Resolved alerts looked at: those resolved within this long after the day (an older day's late alert resolved later is left out). */
const RESOLVED_WITHIN_MS = 7 * 86_400_000;
const MAX_LATE = 50;
const MAX_NOTABLE = 50;
const MAX_LAPSES = 5;

export interface BriefingDeps {
  redis: Redis;
  keys: Keys;
  timeZone: string;
  /** Local minute of the day after which the previous day is produced; null: never by itself. */
  at: number | null;
  retentionMs: number;
  context(): Promise<CountyContext>;
  /** Rolls up tracks and check-ins up to now (duty, distance and visits of the day's end). */
  rollUp(now: number): Promise<void>;
  /** Called once, in the process that stored it. */
  onProduced(briefing: Briefing): Promise<void>;
  processId: string;
}

/** The instants the county day covers: [start, end). */
export function dayBounds(day: string, timeZone: string): [number, number] {
  return [localToEpoch(day, 0, timeZone), localToEpoch(addDays(day, 1), 0, timeZone)];
}

/** The day a tick at `now` produces, or null before BRIEFING_AT (or with it off). */
export function dueDay(now: number, at: number | null, timeZone: string): string | null {
  if (at === null) return null;
  const p = localParts(now, timeZone);
  return p.hour * 60 + p.minute >= at ? addDays(localDate(now, timeZone), -1) : null;
}

/** The fields of a stored alert (hash `alerts`) the briefing reads (structural: reports does not import alerts, which count into reports). */
interface DayAlert {
  id: string;
  kind: string;
  subject: string;
  at: number;
  raisedAt: number;
  teamId?: string;
  townshipId?: string;
  deadline?: number;
  step?: string;
  title?: string;
  escalatedAt?: number;
  resolved?: { at: number; reason: string };
}

async function hmGetJson<T>(redis: Redis, key: string, ids: string[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await redis.hmGet(key, ids.slice(i, i + 1000));
    for (const r of rows) if (typeof r === 'string') out.push(JSON.parse(r) as T);
  }
  return out;
}

export function createBriefings(deps: BriefingDeps) {
  const { redis, keys, timeZone } = deps;

  /** Alerts alive at some time in [start, end): the open ones and those resolved since the start. */
  async function dayAlerts(start: number, end: number): Promise<DayAlert[]> {
    const [open, closed] = await Promise.all([
      redis.zRange(keys.alertsOpen, '-inf', end - 1, { BY: 'SCORE' }),
      redis.zRange(keys.alertsClosed, start, end + RESOLVED_WITHIN_MS, { BY: 'SCORE' }),
    ]);
    return hmGetJson<DayAlert>(redis, keys.alerts, [...new Set([...open, ...closed])]);
  }

  async function dayIncidents(start: number, end: number): Promise<{ state: IncidentState }[]> {
    const ids = await redis.zRange(keys.incidentsByTime, start, end - 1, { BY: 'SCORE' });
    return hmGetJson(redis, keys.incidents, ids);
  }

  async function dayEvents(start: number, end: number): Promise<{ id: string; name: string; start: number; end: number; cancelled: unknown }[]> {
    const ids = await redis.zRange(keys.eventsByStart, start - 30 * 86_400_000, end - 1, { BY: 'SCORE' });
    return (await hmGetJson<{ id: string; name: string; start: number; end: number; cancelled: unknown }>(redis, keys.events, ids)).filter((e) => !e.cancelled && e.start < end && e.end > start);
  }

  /** Compiles the day's briefing from what Redis holds now. */
  async function compile(day: string, now: number, produced = false): Promise<Briefing> {
    const [start, end] = dayBounds(day, timeZone);
    const [ctx, sums, alerts, incidents, events] = await Promise.all([deps.context(), readFigures(redis, keys, day, day), dayAlerts(start, end), dayIncidents(start, end), dayEvents(start, end)]);
    const { rows, total } = assessmentRows(sums, 'township', {}, ctx);
    let teamsOnDuty = 0;
    for (const team of ctx.teams) if (Number(sums.get(`t:${team.id}`)?.get('duty') ?? 0) > 0) teamsOnDuty++;
    const byState: Record<string, number> = {};
    for (const inc of incidents) byState[inc.state] = (byState[inc.state] ?? 0) + 1;

    const inDay = (t: number | undefined) => t !== undefined && t >= start && t < end;
    const townshipOf = (a: DayAlert) => (a.townshipId ? ctx.townshipName(a.townshipId) : null);
    const lateIncidents: Briefing['lateIncidents'] = alerts
      .filter((a) => a.kind === 'incident_late' && inDay(a.raisedAt))
      .sort((a, b) => a.raisedAt - b.raisedAt || Number(a.id) - Number(b.id))
      .slice(0, MAX_LATE)
      .map((a) => {
        const deadline = a.deadline ?? a.at;
        const done = a.resolved?.reason === 'step_done';
        const until = a.resolved?.at ?? now;
        return { incidentId: a.subject, title: a.title ?? a.subject, township: townshipOf(a), step: (a.step as Briefing['lateIncidents'][number]['step']) ?? null, deadline, lateMin: Math.max(0, Math.round((until - deadline) / 6000) / 10), done };
      });

    const teamName = (id: string | undefined) => (id ? (ctx.teams.find((t) => t.id === id)?.callSign ?? id) : '');
    const notable: Briefing['notable'] = [];
    for (const e of events) notable.push({ kind: 'event', at: e.start, end: e.end, title: e.name, detail: '' });
    for (const a of alerts) {
      if (a.kind === 'sos' && inDay(a.raisedAt)) notable.push({ kind: 'sos', at: a.raisedAt, end: null, title: teamName(a.teamId) || (a.title ?? a.subject), detail: townshipOf(a) ?? '' });
      if (inDay(a.escalatedAt)) notable.push({ kind: 'escalated', at: a.escalatedAt!, end: null, title: a.title ?? (teamName(a.teamId) || a.subject), detail: a.kind });
    }
    notable.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));

    const lapses = rows
      .filter((r) => r.missedDeadlines > 0)
      .sort((a, b) => b.missedDeadlines - a.missedDeadlines || a.label.localeCompare(b.label, 'zh-CN'))
      .slice(0, MAX_LAPSES)
      .map((r) => ({ townshipId: r.key, name: r.label, missed: r.missedDeadlines, requiredVisits: r.requiredVisits, longestLapseMin: r.longestLapseMin }));

    return {
      day,
      county: ctx.county,
      at: now,
      produced,
      headline: {
        teamsOnDuty,
        dutyHours: total.dutyHours,
        distanceKm: total.distanceKm,
        visits: total.visits,
        requiredVisits: total.requiredVisits,
        onTimeShare: total.onTimeShare,
        missedDeadlines: total.missedDeadlines,
        incidents: { reported: incidents.length, byState },
        dispatched: total.dispatched,
        accepted: total.accepted,
        arrived: total.arrived,
        resolved: total.resolved,
        acceptMedianMin: total.acceptMedianMin,
        arriveMedianMin: total.arriveMedianMin,
        lateSteps: total.lateSteps,
        sos: total.sos,
      },
      lapses,
      lateIncidents,
      disputes: { settled: total.disputesSettled, passedUp: total.disputesPassedUp },
      notable: notable.slice(0, MAX_NOTABLE),
    };
  }

  async function stored(day: string): Promise<Briefing | undefined> {
    const raw = await redis.get(keys.briefing(day));
    return raw ? (JSON.parse(raw) as Briefing) : undefined;
  }

  return {
    compile,
    stored,

    /** The stored briefing of the day, or one compiled now (not stored) when the morning run has not produced it. */
    async get(day: string, now: number): Promise<Briefing> {
      return (await stored(day)) ?? compile(day, now);
    },

    /**
     * Produces the previous day's briefing if it is due and not produced yet; answers it when
     * this process stored it (and announced it), otherwise undefined.
     */
    async tick(now: number): Promise<Briefing | undefined> {
      const day = dueDay(now, deps.at, timeZone);
      if (!day || (await redis.exists(keys.briefing(day)))) return undefined;
      if ((await redis.set(keys.briefingClaim(day), deps.processId, { NX: true, PX: CLAIM_MS })) !== 'OK') return undefined;
      try {
        await deps.rollUp(now);
        const briefing = await compile(day, now, true);
        const ok = await redis.set(keys.briefing(day), JSON.stringify(briefing), { NX: true, PX: deps.retentionMs });
        if (ok !== 'OK') return undefined;
        await deps.onProduced(briefing);
        return briefing;
      } finally {
        await redis.del(keys.briefingClaim(day)).catch(() => undefined);
      }
    },
  };
}

export type Briefings = ReturnType<typeof createBriefings>;

const LEVEL_ZH = { village: '村级', township: '乡镇', county: '县级' } as const;

/** The briefing as a few lines of Chinese for a group robot (webhooks), with the link to its page. */
export function briefingSummary(b: Briefing): { title: string; lines: string[] } {
  const h = b.headline;
  const share = h.onTimeShare === null ? '—' : `${Math.round(h.onTimeShare * 1000) / 10}%`;
  const min = (v: number | null) => (v === null ? '—' : `${v} 分钟`);
  const lines = [
    `在岗队伍 ${h.teamsOnDuty} 支，在岗 ${h.dutyHours} 小时，巡逻 ${h.distanceKm} 公里`,
    `重点部位签到 ${h.visits} 次，按时率 ${share}，超时未巡 ${h.missedDeadlines} 处次`,
    `新增事件 ${h.incidents.reported} 起，办结 ${h.resolved} 起；接警中位 ${min(h.acceptMedianMin)}，到场中位 ${min(h.arriveMedianMin)}`,
    `超时环节 ${h.lateSteps} 个，一键求助 ${h.sos} 次`,
    `矛盾纠纷化解：${(['village', 'township', 'county'] as const).map((l) => `${LEVEL_ZH[l]} ${b.disputes.settled[l]}`).join('，')}；上交 ${b.disputes.passedUp}`,
  ];
  if (b.lapses.length > 0) lines.push(`漏巡较多：${b.lapses.map((l) => `${l.name} ${l.missed}`).join('，')}`);
  return { title: `【日报】${b.county ? `${b.county} ` : ''}${b.day}`, lines };
}
