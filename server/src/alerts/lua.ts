/**
 * The Lua every alert and coverage script shares. Alert transitions happen only inside
 * Redis scripts: a script runs atomically, so two server processes (or a retry) can never
 * raise, escalate or resolve the same alert twice, and the caller hears of a transition only
 * once it is in Redis. Writes are buffered and flushed in bulk at the end of a script, so a
 * tick that raises 5,000 alerts makes a few dozen Redis calls instead of 35,000.
 */
import { createHash } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

/** KEYS every script gets, in this order (the prelude names them). */
export function scriptKeys(keys: Keys): string[] {
  return [
    keys.alerts,
    keys.alertSeq,
    keys.alertsOpen,
    keys.alertsClosed,
    keys.alertSubjects,
    keys.alertEscalations,
    keys.alertLog,
    keys.covRequirement,
    keys.covLastVisit,
    keys.covState,
    keys.covNext,
    keys.teamStatus,
    keys.alertOutside,
  ];
}

/**
 * ARGV[1] now, ARGV[2] escalate-after ms, ARGV[3] MINID of the log stream (older entries are
 * trimmed); a script's own arguments start at ARGV[4]. A script ends with `return finish(status, payload)`.
 */
export const PRELUDE = `
local now = tonumber(ARGV[1])
local escalateMs = tonumber(ARGV[2])
local logMinId = ARGV[3]
local K_ALERTS, K_SEQ, K_OPEN, K_CLOSED, K_SUBJECT, K_ESC, K_LOG = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local K_REQ, K_LAST, K_STATE, K_NEXT, K_TEAMSTATUS, K_OUTSIDE = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]

local function I(x) return string.format('%d', x) end

-- Buffered hash and sorted-set writes, read back by hget/zscore within the script.
local HP, ZP, RC = {}, {}, {}
local function hget(key, field)
  local p = HP[key]
  if p and p[field] ~= nil then return p[field] or nil end
  local c = RC[key]
  if c and c[field] ~= nil then return c[field] or nil end
  local v = redis.call('HGET', key, field)
  if not c then c = {}; RC[key] = c end
  c[field] = v or false
  return v or nil
end
local function hset(key, field, value) HP[key] = HP[key] or {}; HP[key][field] = value end
local function hdel(key, field) HP[key] = HP[key] or {}; HP[key][field] = false end
local function zadd(key, score, member) ZP[key] = ZP[key] or {}; ZP[key][member] = score end
local function zrem(key, member) ZP[key] = ZP[key] or {}; ZP[key][member] = false end
-- Reads many fields of a hash at once into the read cache.
local function prefetch(key, fields)
  local c = RC[key] or {}
  RC[key] = c
  for i = 1, #fields, 4000 do
    local j = math.min(i + 3999, #fields)
    local values = redis.call('HMGET', key, unpack(fields, i, j))
    for k = i, j do c[fields[k]] = values[k - i + 1] or false end
  end
end
local function bulk(cmd, key, list)
  for i = 1, #list, 4000 do redis.call(cmd, key, unpack(list, i, math.min(i + 3999, #list))) end
end

-- Alerts: decoded once per script, encoded once at the end.
local AL, DIRTY, OUT, SEQ = {}, {}, {}, nil
local function getAlert(id)
  local a = AL[id]
  if a then return a end
  local j = redis.call('HGET', K_ALERTS, id)
  if not j then return nil end
  a = cjson.decode(j)
  AL[id] = a
  return a
end
local function touch(a, event)
  DIRTY[a.id] = true
  OUT[#OUT + 1] = event
  OUT[#OUT + 1] = a.id
end
local function logEvent(a, event, by, note)
  a.history = a.history or {}
  local h = { event = event, by = by or '', at = now }
  if note and note ~= '' then h.note = note end
  a.history[#a.history + 1] = h
  redis.call('XADD', K_LOG, 'MINID', '~', logMinId, '*', 'id', a.id, 'kind', a.kind, 'subject', a.subject, 'event', event,
    'level', I(a.level), 'state', a.state, 'by', by or '', 'note', note or '', 'at', I(now))
end
local function openAlertOf(kind, subject)
  local id = hget(K_SUBJECT, kind .. ':' .. subject)
  return id and getAlert(id) or nil
end
-- Raises an alert unless one of this kind is already open for the subject; returns it or nil.
local function raise(kind, subject, fields, escalates)
  local skey = kind .. ':' .. subject
  if hget(K_SUBJECT, skey) then return nil end
  if not SEQ then SEQ = tonumber(redis.call('GET', K_SEQ) or '0') end
  SEQ = SEQ + 1
  local a = { id = I(SEQ), kind = kind, subject = subject, level = 1, state = 'raised', at = now, raisedAt = now }
  for k, v in pairs(fields) do a[k] = v end
  AL[a.id] = a
  hset(K_SUBJECT, skey, a.id)
  zadd(K_OPEN, now, a.id)
  if escalates then zadd(K_ESC, now + escalateMs, a.id) end
  logEvent(a, 'raised', 'system', a.note)
  touch(a, 'raised')
  return a
end
local function resolveAlert(a, by, reason, note)
  if a.state == 'resolved' then return false end
  a.state = 'resolved'
  a.resolved = { by = by, at = now, reason = reason }
  if note and note ~= '' then a.resolved.note = note end
  zrem(K_OPEN, a.id)
  zadd(K_CLOSED, now, a.id)
  zrem(K_ESC, a.id)
  local skey = a.kind .. ':' .. a.subject
  if hget(K_SUBJECT, skey) == a.id then hdel(K_SUBJECT, skey) end
  logEvent(a, 'resolved', by, (note and note ~= '') and (reason .. ': ' .. note) or reason)
  touch(a, 'updated')
  return true
end
local function resolveSubject(kind, subject, by, reason, note)
  local a = openAlertOf(kind, subject)
  if a then resolveAlert(a, by, reason, note) end
end
local function acknowledge(a, by, note)
  if a.state ~= 'raised' then return false end
  a.state = 'acknowledged'
  a.ack = { by = by, at = now }
  if note and note ~= '' then a.ack.note = note end
  zrem(K_ESC, a.id)
  logEvent(a, 'acknowledged', by, note)
  touch(a, 'updated')
  return true
end
local function escalate(a)
  if a.state ~= 'raised' or a.level >= 2 then return false end
  a.level = 2
  a.escalatedAt = now
  logEvent(a, 'escalated', 'system', '')
  touch(a, 'updated')
  return true
end

-- Flushes every buffered write and answers: status, payload, then (tag, payload) pairs.
local CH = {}
local function finish(status, payload)
  local enc = {}
  local rows = {}
  for id in pairs(DIRTY) do
    enc[id] = cjson.encode(AL[id])
    hset(K_ALERTS, id, enc[id])
  end
  if SEQ then redis.call('SET', K_SEQ, I(SEQ)) end
  for key, fields in pairs(HP) do
    local sets, dels = {}, {}
    for f, v in pairs(fields) do
      if v then sets[#sets + 1] = f; sets[#sets + 1] = v else dels[#dels + 1] = f end
    end
    if #sets > 0 then bulk('HSET', key, sets) end
    if #dels > 0 then bulk('HDEL', key, dels) end
  end
  for key, members in pairs(ZP) do
    local adds, rems = {}, {}
    for m, s in pairs(members) do
      if s then adds[#adds + 1] = I(s); adds[#adds + 1] = m else rems[#rems + 1] = m end
    end
    if #adds > 0 then bulk('ZADD', key, adds) end
    if #rems > 0 then bulk('ZREM', key, rems) end
  end
  local reply = { status, payload or '' }
  for i = 1, #CH do reply[#reply + 1] = 'c'; reply[#reply + 1] = CH[i] end
  for i = 1, #OUT, 2 do reply[#reply + 1] = OUT[i]; reply[#reply + 1] = enc[OUT[i + 1]] end
  return reply
end
`;

/** An alert as stored (JSON, written only by the scripts). Optional fields are absent, never null. */
export interface StoredAlert {
  id: string;
  kind: string;
  /** Location id (coverage alerts) or team id (team alerts). */
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
  ack?: { by: string; at: number; note?: string };
  resolved?: { by: string; at: number; reason: string; note?: string };
  escalatedAt?: number;
  sent?: { teamId: string; by: string; at: number };
  /** Every transition of this alert, oldest first (also in the alerts:log stream). */
  history?: { event: string; by: string; at: number; note?: string }[];
}

/** What a script reports: its status and payload, coverage state changes, alert transitions. */
export interface ScriptResult {
  status: string;
  payload: string;
  /** Location id → new value ("state,deadline,dueAt" or "inactive"), in the order they happened. */
  coverage: Array<[string, string]>;
  raised: StoredAlert[];
  updated: StoredAlert[];
}

export function parseReply(reply: unknown): ScriptResult {
  const flat = reply as string[];
  const result: ScriptResult = { status: flat[0] ?? '', payload: flat[1] ?? '', coverage: [], raised: [], updated: [] };
  const latest = new Map<string, StoredAlert>();
  for (let i = 2; i + 1 < flat.length; i += 2) {
    const tag = flat[i]!;
    const body = flat[i + 1]!;
    if (tag === 'c') {
      const eq = body.indexOf('=');
      result.coverage.push([body.slice(0, eq), body.slice(eq + 1)]);
    } else {
      const alert = JSON.parse(body) as StoredAlert;
      latest.set(alert.id, alert);
      if (tag === 'raised') result.raised.push(alert);
      else if (!result.updated.some((a) => a.id === alert.id) && !result.raised.some((a) => a.id === alert.id)) result.updated.push(alert);
    }
  }
  return result;
}

/** A script run by its SHA, loaded on first use (and again after a Redis restart: NOSCRIPT). */
export function luaScript(body: string) {
  const source = PRELUDE + body;
  const sha = createHash('sha1').update(source).digest('hex');
  return async function run(redis: Redis, keys: string[], args: string[]): Promise<ScriptResult> {
    const options = { keys, arguments: args };
    try {
      return parseReply(await redis.evalSha(sha, options));
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return parseReply(await redis.eval(source, options));
    }
  };
}
