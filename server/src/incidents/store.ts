/**
 * Incidents in Redis. The rules of the lifecycle live in TypeScript (geo's transition table);
 * each write is one Lua script that first checks the incident is still in the state and at the
 * version the caller read, then writes it and every index at once. So two server processes,
 * or two dispatchers racing on one incident, can never both change it: the loser's script
 * answers `conflict` with what is there now, and the caller re-reads and decides again.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { IncidentView } from './schemas.ts';
import { luaScript } from '../tracking/script.ts';

/** An incident as stored: the view plus what only the server needs. */
export interface StoredIncident extends IncidentView {
  /** "<scope>:<client id>" of the create request (the retry key). */
  clientKey: string;
  /** Username, team call sign or 'public' of whoever reported it. */
  createdBy: string;
  /** The latest dispatch: who, and the version they saw (tells a retry from a race). */
  lastDispatch: { by: string; version: number; teamId: string } | null;
}

/** States in which an incident keeps its team busy. */
const ACTIVE = "{ dispatched = true, accepted = true, on_scene = true }";

const PRELUDE = `
local now = tonumber(ARGV[1])
local teamPrefix = ARGV[2]
local K_INC, K_SEQ, K_TIME, K_OPEN, K_CLOSED, K_DUE, K_REF, K_CLIENT, K_RESPONDING = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local ACTIVE = ${ACTIVE}
local function setDue(id, due)
  if due == '' then redis.call('ZREM', K_DUE, id) else redis.call('ZADD', K_DUE, due, id) end
end
-- A team responds while any open incident is dispatched to it.
local function syncResponding(team)
  if redis.call('SCARD', teamPrefix .. team) > 0 then redis.call('SADD', K_RESPONDING, team) else redis.call('SREM', K_RESPONDING, team) end
end
`;

/**
 * ARGV: now, team prefix, client key, reference, body (the incident's JSON without its id),
 * createdAt, due ('' none). → {'exists', json} | {'ref_taken', ''} | {'ok', json}
 */
const CREATE = luaScript(
  PRELUDE +
    `
local existing = redis.call('HGET', K_CLIENT, ARGV[3])
if existing then
  local j = redis.call('HGET', K_INC, existing)
  if j then return { 'exists', j } end
end
if redis.call('HEXISTS', K_REF, ARGV[4]) == 1 then return { 'ref_taken', '' } end
local id = tostring(redis.call('INCR', K_SEQ))
local json = '{"id":"' .. id .. '",' .. string.sub(ARGV[5], 2)
redis.call('HSET', K_INC, id, json)
redis.call('ZADD', K_TIME, ARGV[6], id)
redis.call('SADD', K_OPEN, id)
setDue(id, ARGV[7])
redis.call('HSET', K_REF, ARGV[4], id)
redis.call('HSET', K_CLIENT, ARGV[3], id)
return { 'ok', json }
`,
);

/**
 * ARGV: now, team prefix, id, expected version, expected state, new JSON, due ('' none),
 * team before ('' none), team after ('' none).
 * → {'missing', ''} | {'conflict', json now} | {'ok', json, teams whose responding flag was re-derived…}
 */
const WRITE = luaScript(
  PRELUDE +
    `
local id = ARGV[3]
local cur = redis.call('HGET', K_INC, id)
if not cur then return { 'missing', '' } end
local c = cjson.decode(cur)
if tostring(c.version) ~= ARGV[4] or c.state ~= ARGV[5] then return { 'conflict', cur } end
local n = cjson.decode(ARGV[6])
redis.call('HSET', K_INC, id, ARGV[6])
setDue(id, ARGV[7])
if n.state == 'resolved' then
  redis.call('SREM', K_OPEN, id)
  redis.call('ZADD', K_CLOSED, now, id)
else
  redis.call('SADD', K_OPEN, id)
  redis.call('ZREM', K_CLOSED, id)
end
local out = { 'ok', ARGV[6] }
local before, after = ARGV[8], ARGV[9]
if before ~= '' then
  redis.call('SREM', teamPrefix .. before, id)
end
if after ~= '' and ACTIVE[n.state] then redis.call('SADD', teamPrefix .. after, id) end
if before ~= '' then syncResponding(before); out[#out + 1] = before end
if after ~= '' and after ~= before then syncResponding(after); out[#out + 1] = after end
return out
`,
);

/** Removes the due entry if it still has this deadline (a late alert was raised for it). ARGV: now, prefix, id, deadline. */
const DROP_DUE = luaScript(
  PRELUDE +
    `
local score = redis.call('ZSCORE', K_DUE, ARGV[3])
if score and tonumber(score) == tonumber(ARGV[4]) then redis.call('ZREM', K_DUE, ARGV[3]) return 1 end
return 0
`,
);

/** Forgets incidents resolved before ARGV[3], at most 500 a call; answers how many. */
const FORGET = luaScript(
  PRELUDE +
    `
local ids = redis.call('ZRANGEBYSCORE', K_CLOSED, '-inf', '(' .. ARGV[3], 'LIMIT', 0, 500)
for _, id in ipairs(ids) do
  local j = redis.call('HGET', K_INC, id)
  if j then
    local d = cjson.decode(j)
    if type(d.reference) == 'string' then redis.call('HDEL', K_REF, d.reference) end
    if type(d.clientKey) == 'string' then redis.call('HDEL', K_CLIENT, d.clientKey) end
  end
  redis.call('HDEL', K_INC, id)
  redis.call('ZREM', K_TIME, id)
  redis.call('ZREM', K_CLOSED, id)
  redis.call('ZREM', K_DUE, id)
  redis.call('SREM', K_OPEN, id)
end
return #ids
`,
);

export type WriteResult = { status: 'missing' } | { status: 'conflict'; current: StoredIncident } | { status: 'ok'; incident: StoredIncident; teams: string[] };

export function createIncidentStore(redis: Redis, keys: Keys) {
  const KEYS = [keys.incidents, keys.incidentSeq, keys.incidentsByTime, keys.incidentsOpen, keys.incidentsClosed, keys.incidentsDue, keys.incidentRefs, keys.incidentClients, keys.teamsResponding];
  const teamPrefix = keys.teamIncidents('');
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

    /** Stores a new incident unless the client key names one already (then answers that one). */
    async create(now: number, incident: Omit<StoredIncident, 'id'>): Promise<{ status: 'ok' | 'exists'; incident: StoredIncident } | { status: 'ref_taken' }> {
      const body = JSON.stringify(incident);
      const [status, json] = (await CREATE(redis, KEYS, [String(now), teamPrefix, incident.clientKey, incident.reference, body, String(incident.createdAt), incident.due ? String(incident.due.at) : ''])) as [string, string];
      if (status === 'ref_taken') return { status };
      return { status: status as 'ok' | 'exists', incident: parse(json) };
    },

    /** Writes `next` if the incident is still at `expected`'s version and state. */
    async write(now: number, expected: StoredIncident, next: StoredIncident): Promise<WriteResult> {
      const reply = (await WRITE(redis, KEYS, [
        String(now),
        teamPrefix,
        expected.id,
        String(expected.version),
        expected.state,
        JSON.stringify(next),
        next.due ? String(next.due.at) : '',
        expected.teamId ?? '',
        next.teamId ?? '',
      ])) as string[];
      const [status, json, ...teams] = reply;
      if (status === 'missing') return { status };
      if (status === 'conflict') return { status, current: parse(json!) };
      return { status: 'ok', incident: parse(json!), teams };
    },

    /** Ids whose next step is due by `now` (and not yet alerted), earliest first. */
    async dueBy(now: number, limit: number): Promise<{ id: string; at: number }[]> {
      const rows = await redis.zRangeByScoreWithScores(keys.incidentsDue, '-inf', now, { LIMIT: { offset: 0, count: limit } });
      return rows.map((r) => ({ id: r.value, at: r.score }));
    },

    async dropDue(now: number, id: string, at: number): Promise<void> {
      await DROP_DUE(redis, KEYS, [String(now), teamPrefix, id, String(at)]);
    },

    async forget(now: number, before: number): Promise<number> {
      let total = 0;
      for (;;) {
        const n = Number(await FORGET(redis, KEYS, [String(now), teamPrefix, String(before)]));
        total += n;
        if (n < 500) return total;
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
