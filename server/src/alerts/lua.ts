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
import type { CoverageState, LocationCoverageChange } from '../coverage/schemas.ts';

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
    keys.covClasses,
    keys.covLastVisit,
    keys.covClassOf,
    keys.covDue,
    keys.teamStatus,
    keys.alertOutside,
    keys.covTownshipClasses,
    keys.covMeta,
    // A prefix, not a key: the per-class sorted sets are named from it (one Redis, no cluster).
    keys.covClassVisitsPrefix,
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
local K_CLS, K_LAST, K_LOC, K_DUE, K_TEAMSTATUS, K_OUTSIDE = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]
local K_TW, K_META, K_ZP = KEYS[14], KEYS[15], KEYS[16]

local function I(x) return string.format('%d', x) end
local NOWS = I(now)

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
-- Write-only buffers for the mass path (no read-back within the script): flat argument lists.
local DH, DHD, DZ, DZR = {}, {}, {}, {}
local function push(buffers, key, a, b)
  local t = buffers[key]
  if not t then t = {}; buffers[key] = t end
  t[#t + 1] = a
  if b then t[#t + 1] = b end
end

-- Alerts are JSON in K_ALERTS. ENC holds the text of alerts written by this script, AL the
-- decoded ones that were changed field by field; both are flushed once at the end. Raises and
-- the automatic resolves and escalations of a mass transition work on the text (a raise is
-- built by concatenation, a resolve or an escalation is a substitution), since decoding and
-- encoding thousands of alerts would take most of a tick.
local AL, DIRTY, ENC, WRITE, OUT, LOG, SEQ = {}, {}, {}, {}, {}, {}, nil
local function js(v)
  if type(v) == 'number' then return v == math.floor(v) and I(v) or tostring(v) end
  if string.find(v, '[%c"\\\\]') then return cjson.encode(v) end
  return '"' .. v .. '"'
end
local function clean(v) return (string.gsub(v or '', '[\\t\\r\\n]', ' ')) end
-- One line per transition, written as one stream entry per script: id kind subject event level state by note at.
local function logLine(id, kind, subject, event, level, state, by, note)
  LOG[#LOG + 1] = table.concat({ id, kind, subject, event, I(level), state, clean(by), clean(note), I(now) }, '\\t')
end
local function rawAlert(id)
  local j = ENC[id]
  if j then return j end
  return redis.call('HGET', K_ALERTS, id) or nil
end
local function getAlert(id)
  local a = AL[id]
  if a then return a end
  local j = rawAlert(id)
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
  logLine(a.id, a.kind, a.subject, event, a.level, a.state, by, note)
end
local function openAlertOf(kind, subject)
  local id = hget(K_SUBJECT, kind .. ':' .. subject)
  return id and getAlert(id) or nil
end
-- Raises an alert unless one of this kind is open for the subject (fresh: the caller's state
-- machine guarantees none is); returns its id or nil. fields: flat strings and numbers.
local function raise(kind, subject, fields, escalates, fresh)
  local skey = kind .. ':' .. subject
  if not fresh and hget(K_SUBJECT, skey) then return nil end
  if not SEQ then SEQ = tonumber(redis.call('GET', K_SEQ) or '0') end
  SEQ = SEQ + 1
  local id = I(SEQ)
  local at = fields.at or now
  local parts = { '{"id":"', id, '","kind":"', kind, '","subject":', js(subject), ',"level":1,"state":"raised","at":', js(at), ',"raisedAt":', I(now) }
  for k, v in pairs(fields) do
    if k ~= 'at' then parts[#parts + 1] = ',"' .. k .. '":' .. js(v) end
  end
  parts[#parts + 1] = '}'
  ENC[id] = table.concat(parts)
  WRITE[id] = true
  hset(K_SUBJECT, skey, id)
  zadd(K_OPEN, now, id)
  if escalates then zadd(K_ESC, now + escalateMs, id) end
  logLine(id, kind, subject, 'raised', 1, 'raised', 'system', fields.note)
  OUT[#OUT + 1] = 'raised'
  OUT[#OUT + 1] = id
  return id
end
local function closeIndexes(id, kind, subject)
  zrem(K_OPEN, id)
  zadd(K_CLOSED, now, id)
  zrem(K_ESC, id)
  local skey = kind .. ':' .. subject
  if hget(K_SUBJECT, skey) == id then hdel(K_SUBJECT, skey) end
end
local function resolveAlert(a, by, reason, note)
  if a.state == 'resolved' then return false end
  a.state = 'resolved'
  a.resolved = { by = by, at = now, reason = reason }
  if note and note ~= '' then a.resolved.note = note end
  closeIndexes(a.id, a.kind, a.subject)
  logEvent(a, 'resolved', by, (note and note ~= '') and (reason .. ': ' .. note) or reason)
  touch(a, 'updated')
  return true
end
-- The automatic resolve of a subject's open alert, on its text.
local function resolveSubject(kind, subject, by, reason, note)
  local id = hget(K_SUBJECT, kind .. ':' .. subject)
  if not id then return end
  if AL[id] then return resolveAlert(AL[id], by, reason, note) end
  local j = rawAlert(id)
  if not j or string.find(j, '"state":"resolved"', 1, true) then return end
  local level = string.match(j, '"level":(%d)') or '1'
  local r = '"resolved":{"by":' .. js(by) .. ',"at":' .. I(now) .. ',"reason":' .. js(reason) .. ((note and note ~= '') and (',"note":' .. js(note)) or '') .. '}'
  j = string.gsub(j, '"state":"[a-z]+"', '"state":"resolved"', 1)
  ENC[id] = string.sub(j, 1, -2) .. ',' .. r .. '}'
  WRITE[id] = true
  closeIndexes(id, kind, subject)
  logLine(id, kind, subject, 'resolved', tonumber(level), 'resolved', by, (note and note ~= '') and (reason .. ': ' .. note) or reason)
  OUT[#OUT + 1] = 'updated'
  OUT[#OUT + 1] = id
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
-- Level 2 if still unacknowledged, on its text; false when nothing changed.
local function escalate(id)
  if AL[id] then
    local a = AL[id]
    if a.state ~= 'raised' or a.level >= 2 then return false end
    a.level = 2
    a.escalatedAt = now
    logEvent(a, 'escalated', 'system', '')
    touch(a, 'updated')
    return true
  end
  local j = rawAlert(id)
  if not j or not string.find(j, '"state":"raised"', 1, true) or not string.find(j, '"level":1[,}]') then return false end
  j = string.gsub(j, '"level":1([,}])', '"level":2%1', 1)
  ENC[id] = string.sub(j, 1, -2) .. ',"escalatedAt":' .. I(now) .. '}'
  WRITE[id] = true
  logLine(id, string.match(j, '"kind":"([a-z_]+)"') or '', string.match(j, '"subject":"([^"]*)"') or '', 'escalated', 2, 'raised', 'system', '')
  OUT[#OUT + 1] = 'updated'
  OUT[#OUT + 1] = id
  return true
end

-- Flushes every buffered write and answers: status, payload, then (tag, payload) pairs.
local CH = {}
local function finish(status, payload)
  for id in pairs(DIRTY) do
    ENC[id] = cjson.encode(AL[id])
    WRITE[id] = true
  end
  for id in pairs(WRITE) do hset(K_ALERTS, id, ENC[id]) end
  if SEQ then redis.call('SET', K_SEQ, I(SEQ)) end
  if #LOG > 0 then redis.call('XADD', K_LOG, 'MINID', '~', logMinId, '*', 'entries', table.concat(LOG, '\\n')) end
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
    for m, sc in pairs(members) do
      if sc then adds[#adds + 1] = type(sc) == 'string' and sc or I(sc); adds[#adds + 1] = m else rems[#rems + 1] = m end
    end
    if #adds > 0 then bulk('ZADD', key, adds) end
    if #rems > 0 then bulk('ZREM', key, rems) end
  end
  for key, list in pairs(DH) do bulk('HSET', key, list) end
  for key, list in pairs(DHD) do bulk('HDEL', key, list) end
  for key, list in pairs(DZ) do bulk('ZADD', key, list) end
  for key, list in pairs(DZR) do bulk('ZREM', key, list) end
  local reply = { status, payload or '' }
  for i = 1, #CH do reply[#reply + 1] = 'c'; reply[#reply + 1] = CH[i] end
  for i = 1, #OUT, 2 do reply[#reply + 1] = OUT[i] .. ':' .. OUT[i + 1]; reply[#reply + 1] = ENC[OUT[i + 1]] end
  return reply
end
`;

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
  ack?: { by: string; at: number; note?: string };
  resolved?: { by: string; at: number; reason: string; note?: string };
  escalatedAt?: number;
  sent?: { teamId: string; by: string; at: number; locationId?: string };
  /** Alerts about something that is neither a location nor a team (a late incident): what the map shows. */
  title?: string;
  townshipId?: string;
  gridId?: string;
}

/** What a script reports: its status and payload, coverage state changes, alert transitions. */
export interface ScriptResult {
  status: string;
  payload: string;
  /** Locations whose coverage state changed, in the order they did. */
  coverage: LocationCoverageChange[];
  /** Requirements changed (a period started or ended): maps reload the whole picture. */
  reload: boolean;
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

/**
 * A coverage change as a script reports it: "loc=state,deadline,dueAt" or "loc=inactive" for
 * one location; "#state,gapMs,since,leadMs=loc\tkth\tloc\tkth…" for many of one class (the
 * deadline is max(kth, since) + gap: computed here, where it is cheap); "*=reload".
 */
function readCoverage(body: string, into: LocationCoverageChange[]): boolean {
  const eq = body.indexOf('=');
  const head = body.slice(0, eq);
  if (head === '*') return true;
  if (head.startsWith('#')) {
    const [state = 'covered', gap = '0', since = '0', lead = '0'] = head.slice(1).split(',');
    const g = Number(gap);
    const s = Number(since);
    const l = Number(lead);
    const parts = body.slice(eq + 1).split('\t');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const deadline = Math.max(Number(parts[i + 1]), s) + g;
      into.push({ id: parts[i]!, state: state as CoverageState, deadline, dueAt: deadline - l });
    }
    return false;
  }
  const [state = 'inactive', deadline, dueAt] = body.slice(eq + 1).split(',');
  into.push({ id: head, state: state as CoverageState, deadline: deadline ? Number(deadline) : null, dueAt: dueAt ? Number(dueAt) : null });
  return false;
}

export function parseReply(reply: unknown): ScriptResult {
  const flat = reply as string[];
  const coverage: LocationCoverageChange[] = [];
  let reload = false;
  // An alert raised and changed in one script is reported once, as raised, in its final form.
  const latest = new Map<string, { json: string; raised: boolean }>();
  for (let i = 2; i + 1 < flat.length; i += 2) {
    const tag = flat[i]!;
    const body = flat[i + 1]!;
    if (tag === 'c') {
      if (readCoverage(body, coverage)) reload = true;
      continue;
    }
    // Tags read "raised:<id>" or "updated:<id>": no need to parse the alert to know which it is.
    const key = tag.slice(tag.indexOf(':') + 1);
    const seen = latest.get(key);
    latest.set(key, { json: body, raised: tag.startsWith('raised') || (seen?.raised ?? false) });
  }
  const raisedJson: string[] = [];
  const updatedJson: string[] = [];
  for (const { json, raised } of latest.values()) (raised ? raisedJson : updatedJson).push(json);
  return makeResult(flat[0] ?? '', flat[1] ?? '', coverage, raisedJson, updatedJson, reload);
}

/** A result from its parts; alerts stay JSON text until someone reads them. */
export function makeResult(status: string, payload: string, coverage: LocationCoverageChange[], raisedJson: string[], updatedJson: string[], reload = false): ScriptResult {
  let raised: StoredAlert[] | undefined;
  let updated: StoredAlert[] | undefined;
  const resolvedCount = raisedJson.concat(updatedJson).filter((j) => j.includes('"state":"resolved"')).length;
  return {
    status,
    payload,
    coverage,
    reload,
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
