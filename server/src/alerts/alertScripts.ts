/**
 * Alert transitions as typed calls. Every transition runs as one Redis script (`lua/*.lua`, with
 * the prelude `lua/includes/prelude.lua`): atomic, so retries and concurrent server processes
 * see each one happen once. This module passes the prelude's KEYS and ARGV, parses the reply
 * into the alerts it raised and changed, and hands each result to `publish` (already in Redis)
 * before answering. Other domains' scripts that raise alerts (coverage) include the prelude too
 * and run through `run`; the lines they report besides alerts come back as `notes`.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { loadScript, type LuaScript } from '../redis/script.ts';
import { alertRaisedTally, alertResolvedTally } from '../reports/tally.ts';

const ACKNOWLEDGE = loadScript(new URL('./lua/acknowledge.lua', import.meta.url));
const RESOLVE = loadScript(new URL('./lua/resolve.lua', import.meta.url));
const RAISE = loadScript(new URL('./lua/raise.lua', import.meta.url));
const RESOLVE_SUBJECT = loadScript(new URL('./lua/resolveSubject.lua', import.meta.url));
const ESCALATE = loadScript(new URL('./lua/escalate.lua', import.meta.url));
const SWEEP_TEAMS = loadScript(new URL('./lua/sweepTeams.lua', import.meta.url));
const MARK_SENT = loadScript(new URL('./lua/markSent.lua', import.meta.url));

/** An alert as stored (JSON, written only by the scripts). Optional fields are absent, never null. */
export interface StoredAlert {
  id: string;
  kind: string;
  /** Township id (coverage alerts), team id (team alerts), incident id (late steps). */
  subject: string;
  level: number;
  state: string;
  at: number;
  raisedAt: number;
  locationId?: string;
  teamId?: string;
  deadline?: number;
  lon?: number;
  lat?: number;
  note?: string;
  /** The step an incident_late alert is about (an IncidentAction). */
  step?: string;
  /** The order an order_unread alert is about. */
  orderId?: string;
  ack?: { by: string; at: number; note?: string };
  resolved?: { by: string; at: number; reason: string; note?: string };
  escalatedAt?: number;
  sent?: { teamId: string; by: string; at: number; locationId?: string };
  /** Alerts about something that is neither a location nor a team (a late incident): what the map shows. */
  title?: string;
  townshipId?: string;
  gridId?: string;
}

/** What a script reports: its status and payload, the lines it noted for its own domain, alert transitions. */
export interface ScriptResult {
  status: string;
  payload: string;
  /** Lines the script reported besides alerts (coverage changes), in order; the domain that ran it reads them. */
  notes: string[];
  /** Alerts raised (in their final form if also changed in the same script); parsed on first use. */
  readonly raised: StoredAlert[];
  /** Alerts changed (acknowledged, escalated, resolved, sent); parsed on first use. */
  readonly updated: StoredAlert[];
  readonly raisedJson: string[];
  readonly updatedJson: string[];
  raisedCount: number;
  updatedCount: number;
  /** How many alerts the script resolved. */
  resolvedCount: number;
}

/** Runs a script that includes the alerts prelude: its own KEYS and ARGV follow the prelude's. */
export type RunTransitions = (script: LuaScript, scriptKeys: string[], args: Array<string | number>, now: number) => Promise<ScriptResult>;

/** The reply of a prelude script: status, payload, then ('n', note) and ('raised:<id>' | 'updated:<id>', JSON) pairs. */
export function parseReply(reply: unknown): ScriptResult {
  const flat = reply as string[];
  const notes: string[] = [];
  // An alert raised and changed in one script is reported once, as raised, in its final form.
  const latest = new Map<string, { json: string; raised: boolean }>();
  for (let i = 2; i + 1 < flat.length; i += 2) {
    const tag = flat[i]!;
    const body = flat[i + 1]!;
    if (tag === 'n') {
      notes.push(body);
      continue;
    }
    // No need to parse the alert to know which it is.
    const key = tag.slice(tag.indexOf(':') + 1);
    const seen = latest.get(key);
    latest.set(key, { json: body, raised: tag.startsWith('raised') || (seen?.raised ?? false) });
  }
  const raisedJson: string[] = [];
  const updatedJson: string[] = [];
  for (const { json, raised } of latest.values()) (raised ? raisedJson : updatedJson).push(json);
  return makeResult(flat[0] ?? '', flat[1] ?? '', raisedJson, updatedJson, notes);
}

/** A result from its parts; alerts stay JSON text until someone reads them. */
export function makeResult(status: string, payload: string, raisedJson: string[], updatedJson: string[], notes: string[] = []): ScriptResult {
  let raised: StoredAlert[] | undefined;
  let updated: StoredAlert[] | undefined;
  const resolvedCount = raisedJson.concat(updatedJson).filter((j) => j.includes('"state":"resolved"')).length;
  return {
    status,
    payload,
    notes,
    raisedJson,
    updatedJson,
    get raised() {
      return (raised ??= raisedJson.map((j) => JSON.parse(j) as StoredAlert));
    },
    get updated() {
      return (updated ??= updatedJson.map((j) => JSON.parse(j) as StoredAlert));
    },
    raisedCount: raisedJson.length,
    updatedCount: updatedJson.length,
    resolvedCount,
  };
}

const alertOf = (json: string): StoredAlert | undefined => (json ? (JSON.parse(json) as StoredAlert) : undefined);

export interface TransitionsDeps {
  redis: Redis;
  keys: Keys;
  escalateAfterMs: number;
  /** Log entries older than this are trimmed. */
  retentionMs: number;
  /** Hears every result (already in Redis) before its caller does. */
  publish(result: ScriptResult): void;
  /** The county's time zone: the assessment report counts by its days. */
  timeZone?: string;
}

/** One team as the team sweep reads it: inside its grids ('1'), outside ('0'), not on patrol ('-'), and its latest fix time. */
export interface TeamWhereabouts {
  teamId: string;
  inside: '1' | '0' | '-';
  /** As the position hash holds it (or now, with none): the outside alert counts from it. */
  fixTime: string | number;
  /** The battery its phones last reported, percent, or '-' when none did. */
  battery: number | '-';
}

export function createTransitions(deps: TransitionsDeps) {
  const { redis, keys } = deps;
  /** The prelude's KEYS, in its header's order. */
  const preludeKeys = [keys.alerts, keys.alertSeq, keys.alertsOpen, keys.alertsClosed, keys.alertSubjects, keys.alertEscalations, keys.alertLog];

  const run: RunTransitions = async (script, scriptKeys, args, now) => {
    const reply = await script.run(redis, [...preludeKeys, ...scriptKeys], [keys.prefix, now, deps.escalateAfterMs, Math.max(0, now - deps.retentionMs), ...args]);
    const result = parseReply(reply);
    deps.publish(result);
    return result;
  };

  return {
    run,

    /** Acknowledge: 'same' when it already was (unchanged), 'resolved' when it is closed. */
    async acknowledge(id: string, by: string, note: string, now: number): Promise<{ status: 'missing' | 'resolved' | 'same' | 'ok'; alert: StoredAlert | undefined }> {
      const r = await run(ACKNOWLEDGE, [], [id, by, note], now);
      return { status: r.status as 'missing' | 'resolved' | 'same' | 'ok', alert: alertOf(r.payload) };
    },

    /** Resolve by hand: 'same' when it already was (unchanged). */
    async resolve(id: string, by: string, reason: string, note: string, now: number): Promise<{ status: 'missing' | 'same' | 'ok'; alert: StoredAlert | undefined }> {
      const r = await run(RESOLVE, [], [id, by, reason, note], now);
      return { status: r.status as 'missing' | 'same' | 'ok', alert: alertOf(r.payload) };
    },

    /** Raises unless one of the kind is open for the subject: then `created` is false and `alert` is that one. */
    async raise(kind: string, subject: string, fields: Partial<StoredAlert>, escalates: boolean, now: number): Promise<{ created: boolean; alert: StoredAlert | undefined }> {
      const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
      const tally = alertRaisedTally(kind, { teamId: fields.teamId, townshipId: fields.townshipId, step: fields.step }, now, deps.timeZone ?? 'Asia/Shanghai');
      const r = await run(RAISE, [], [kind, subject, JSON.stringify(set), escalates ? '1' : '0', tally], now);
      return { created: r.status === 'ok', alert: alertOf(r.payload) };
    },

    /** Resolves the open alert of a kind for a subject: true when there was one. */
    async resolveSubject(kind: string, subject: string, reason: string, note: string, now: number): Promise<boolean> {
      const tally = alertResolvedTally(kind, subject, reason, now, deps.timeZone ?? 'Asia/Shanghai');
      return (await run(RESOLVE_SUBJECT, [], [kind, subject, reason, note, tally], now)).status === 'ok';
    },

    /** Escalates up to `limit` alerts not acknowledged in time and forgets resolved ones closed before `forgetBefore`. */
    async escalate(limit: number, forgetBefore: number, now: number): Promise<{ escalated: number; more: boolean }> {
      const r = await run(ESCALATE, [], [limit, forgetBefore], now);
      return { escalated: r.updatedCount, more: r.status === 'more' };
    },

    /** Team alerts from the derived team status, from where each team is and from its battery. */
    sweepTeams(graceMs: number, batteryLowPercent: number, teams: TeamWhereabouts[], now: number): Promise<ScriptResult> {
      const args: Array<string | number> = [graceMs, batteryLowPercent, teams.length];
      for (const t of teams) args.push(t.teamId, t.inside, t.fixTime, t.battery);
      return run(SWEEP_TEAMS, [keys.teamStatus, keys.alertOutside], args, now);
    },

    /** Notes on a township's open coverage alerts that a team was sent to one of its locations. */
    markSent(townshipId: string, teamId: string, by: string, locationId: string, now: number): Promise<ScriptResult> {
      return run(MARK_SENT, [], [townshipId, teamId, by, locationId], now);
    },
  };
}

export type Transitions = ReturnType<typeof createTransitions>;
