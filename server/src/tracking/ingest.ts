/**
 * The one position pipeline every source lands in (our HTTP API, OsmAnd/Traccar, OwnTracks, the
 * patrol page's socket). Per request, after the checks: one Lua script that, atomically,
 * authenticates the device (or takes a signed-in patrol's team), appends every fix to the
 * team's history, moves the latest position only for a newer fix, advances the team's dwell
 * time at key locations and records the automatic check-ins that completes. Only after Redis
 * answered is anything acknowledged or broadcast.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { CheckIn, PositionsAccepted } from '../api.ts';
import { HttpError } from '../plugins/errors.ts';
import { checkFix, FixError, type Fix } from './fix.ts';
import type { LocationCache } from './locations.ts';
import { luaScript } from './script.ts';
import { parseRecord } from '../checkins/record.ts';

/** A fix uploaded more than this long after it was taken is also indexed by fix time (track queries). */
export const LATE_AFTER_MS = 10 * 60_000;
/** Check-ins (explicit, or automatic from a fix) older than this when they arrive are not recorded. */
export const CHECKIN_MAX_AGE_MS = 24 * 3_600_000;

export type IngestSource = 'http' | 'osmand' | 'owntracks' | 'socket';

/** Who reports: a device (by its identifier's hash, checked in the script) or a signed-in patrol's team. */
export type IngestAuth = { deviceHash: string } | { teamId: string; by: string };

/*
 * Stream ids are the app's clock (not Redis's), so retention, late-upload and track windows
 * all read one clock, and tests can drive it. An id never goes below the stream's top (another
 * process's clock a little ahead): then it takes the top's millisecond and the next sequence.
 */
export const NEXT_ID = `
local function nextId(key, now)
  local top = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
  if top then
    local ms = tonumber(string.match(top[1], '^(%d+)'))
    if ms > now then return string.format('%d-*', ms) end
  end
  return string.format('%d-*', now)
end
`;

const INGEST = `${NEXT_ID}
local mode, who, nowS = ARGV[1], ARGV[2], ARGV[3]
local now = tonumber(nowS)
local teamId, deviceId = who, ARGV[16]
if mode == 'device' then
  local rec = redis.call('HGET', KEYS[1], who)
  if not rec then return {'unknown'} end
  local a = string.find(rec, '\\t', 1, true)
  local b = string.find(rec, '\\t', a + 1, true)
  deviceId = string.sub(rec, 1, a - 1)
  teamId = string.sub(rec, a + 1, b - 1)
  if b < #rec then return {'revoked', deviceId} end
  redis.call('HSET', KEYS[3], deviceId, nowS)
end
local minId, lateAfter, dwellMs, retention = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local posKey, trackKey = ARGV[8] .. teamId, ARGV[9] .. teamId
local last = tonumber(redis.call('HGET', posKey, 'time'))
local n = tonumber(ARGV[17])
local trackId = nextId(trackKey, now)
local newest, older, late = 0, 0, 0
local dwell, dwellChanged = nil, false
local out = {}
for i = 1, n do
  local o = 17 + (i - 1) * 8
  local t, lon, lat, acc, near = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 6], ARGV[o + 8]
  local tn = tonumber(t)
  local sid = redis.call('XADD', trackKey, 'MINID', '~', minId, trackId, 't', t, 'lon', lon, 'lat', lat, 'hd', ARGV[o + 4], 'sp', ARGV[o + 5], 'acc', acc, 'q', ARGV[o + 7], 'dev', deviceId)
  if now - tn > lateAfter then
    redis.call('ZADD', ARGV[10] .. teamId, tn, sid)
    late = late + 1
  end
  if last and tn <= last then
    older = older + 1
  else
    last = tn
    newest = i
    if near ~= '-' then
      if not dwell then
        dwell = {}
        local flat = redis.call('HGETALL', ARGV[11] .. teamId)
        for j = 1, #flat, 2 do
          local v = flat[j + 1]
          local tab = string.find(v, '\\t', 1, true)
          dwell[flat[j]] = { since = tab and string.sub(v, 1, tab - 1) or v, done = tab ~= nil }
        end
      end
      local here, order = {}, {}
      for loc, dist in string.gmatch(near, '([^,]+):([^,:]+)') do
        here[loc] = dist
        order[#order + 1] = loc
      end
      for loc in pairs(dwell) do
        if not here[loc] then
          dwell[loc] = nil
          dwellChanged = true
        end
      end
      for _, loc in ipairs(order) do
        local d = dwell[loc]
        if not d then
          d = { since = t, done = false }
          dwell[loc] = d
          dwellChanged = true
        end
        if not d.done and tn - tonumber(d.since) >= dwellMs then
          d.done = true
          dwellChanged = true
          local cid = 'auto-' .. loc .. '-' .. d.since
          local values = {cid, t, teamId, loc, 'auto', lon, lat, acc, here[loc], deviceId, nowS}
          local rec = table.concat(values, '\\t')
          if redis.call('SET', ARGV[12] .. teamId .. ':' .. cid, rec, 'NX', 'PX', retention) then
            local f = {'id', cid, 't', t, 'team', teamId, 'loc', loc, 'kind', 'auto', 'lon', lon, 'lat', lat, 'acc', acc, 'dist', here[loc], 'by', deviceId, 'at', nowS}
            local lk, tk = ARGV[13] .. loc, ARGV[14] .. teamId
            redis.call('XADD', lk, 'MINID', '~', minId, nextId(lk, now), unpack(f))
            redis.call('XADD', tk, 'MINID', '~', minId, nextId(tk, now), unpack(f))
            out[#out + 1] = rec
          end
        end
      end
    end
  end
end
if dwellChanged then
  local dk = ARGV[11] .. teamId
  redis.call('DEL', dk)
  local args = {}
  for loc, d in pairs(dwell) do
    args[#args + 1] = loc
    args[#args + 1] = d.done and (d.since .. '\\t1') or d.since
  end
  if #args > 0 then
    redis.call('HSET', dk, unpack(args))
    redis.call('PEXPIRE', dk, retention)
  end
end
if newest > 0 then
  local o = 17 + (newest - 1) * 8
  redis.call('HSET', posKey, 'lon', ARGV[o + 2], 'lat', ARGV[o + 3], 'time', ARGV[o + 1], 'heading', ARGV[o + 4], 'speed', ARGV[o + 5], 'accuracy', ARGV[o + 6])
  redis.call('GEOADD', KEYS[2], ARGV[o + 2], ARGV[o + 3], teamId)
end
if late > 0 then redis.call('ZREMRANGEBYSCORE', ARGV[10] .. teamId, '-inf', '(' .. minId) end
redis.call('HINCRBY', KEYS[4], 'accepted:' .. ARGV[15], n)
local reply = {'ok', teamId, deviceId, tostring(newest), tostring(older)}
for _, rec in ipairs(out) do reply[#reply + 1] = rec end
return reply
`;
const runIngest = luaScript(INGEST);

/** The prefix a one-argument key function puts before its argument (the Lua script appends ids to it). */
function prefixOf(make: (id: string) => string): string {
  const probe = make('\u0000');
  const at = probe.indexOf('\u0000');
  if (at < 0 || at !== probe.length - 1) throw new Error(`key layout changed: ${probe}`);
  return probe.slice(0, at);
}

export interface IngestDeps {
  redis: Redis;
  keys: Keys;
  locations: LocationCache;
  now: () => number;
  retentionMs: number;
  futureToleranceMs: number;
  dwellMs: number;
  poorAccuracyM: number;
  /** Positions that moved a team, for the live maps (already in Redis). */
  publish(positions: TeamPosition[]): void;
  /** Automatic check-ins the fixes completed (already in Redis). */
  announceCheckIns(checkIns: CheckIn[]): void;
}

export interface IngestResult extends PositionsAccepted {
  teamId: string;
  deviceId: string;
}

/** Names a fix's field in the caller's terms, e.g. `body.positions.3.lat` or `query.lat`. */
export type FieldNamer = (index: number, field: string) => string;

const str = (v: number | undefined) => (v === undefined ? '' : String(v));

export function createIngest(deps: IngestDeps) {
  const { redis, keys } = deps;
  const templates = [
    prefixOf(keys.teamPosition),
    prefixOf(keys.teamTrack),
    prefixOf(keys.teamLate),
    prefixOf(keys.teamDwell),
    prefixOf((id) => keys.checkinId(id, 'x').slice(0, -2)),
    prefixOf(keys.locationCheckins),
    prefixOf(keys.teamCheckins),
  ];
  if (keys.checkinId('a', 'b') !== `${templates[4]}a:b`) throw new Error('key layout changed: checkin:id');

  async function refuseUnlessValid(hash: string, deviceField: string): Promise<void> {
    const value = await redis.hGet(keys.deviceAuth, hash);
    if (!value) throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
    if (!value.endsWith('\t')) throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
  }

  return {
    /**
     * Checks every fix, then records them all or none. Throws HttpError 400/422 naming the
     * field for a bad fix, 401 for an unknown device, 403 for a revoked one.
     */
    async ingest(auth: IngestAuth, fixes: Fix[], source: IngestSource, field: FieldNamer, deviceField: string): Promise<IngestResult> {
      const now = deps.now();
      const context = await deps.locations.get();
      const limits = { now, futureToleranceMs: deps.futureToleranceMs, retentionMs: deps.retentionMs, area: context.area };
      for (let i = 0; i < fixes.length; i++) {
        try {
          checkFix(fixes[i]!, limits);
        } catch (err) {
          if (!(err instanceof FixError)) throw err;
          // An unknown or revoked device hears that first, not what is wrong with its data.
          if ('deviceHash' in auth) await refuseUnlessValid(auth.deviceHash, deviceField);
          throw new HttpError(err.status, `${field(i, err.field)} ${err.message}`, field(i, err.field));
        }
      }
      // Oldest first: the history reads in order and the dwell clock only moves forward.
      const ordered = fixes.length > 1 ? [...fixes].sort((a, b) => a.time - b.time) : fixes;
      const args: string[] = [
        'deviceHash' in auth ? 'device' : 'team',
        'deviceHash' in auth ? auth.deviceHash : auth.teamId,
        String(now),
        String(Math.max(0, now - deps.retentionMs)),
        String(LATE_AFTER_MS),
        String(deps.dwellMs),
        String(deps.retentionMs),
        ...templates,
        source,
        'deviceHash' in auth ? '' : auth.by,
        String(ordered.length),
      ];
      let flagged = 0;
      for (const fix of ordered) {
        const poor = fix.invalid === true || (fix.accuracy !== undefined && fix.accuracy > deps.poorAccuracyM);
        if (poor) flagged++;
        let near = '-';
        // A poor fix neither starts nor ends a visit; a fix older than a check-in may be does not count either.
        if (!poor && now - fix.time <= CHECKIN_MAX_AGE_MS) {
          near = context.index.size === 0 ? '' : context.index.near(fix.lon, fix.lat).map((n) => `${n.location.id}:${Math.round(n.distance * 10) / 10}`).join(',');
        }
        args.push(String(fix.time), String(fix.lon), String(fix.lat), str(fix.heading), str(fix.speed), str(fix.accuracy), poor ? 'p' : '', near);
      }
      const reply = (await runIngest(redis, [keys.deviceAuth, keys.teamGeo, keys.deviceSeen, keys.ingestStats], args)) as string[];
      if (reply[0] === 'unknown') throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
      if (reply[0] === 'revoked') throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
      const [, teamId = '', deviceId = '', newestRaw = '0', olderRaw = '0', ...records] = reply;
      const newest = Number(newestRaw);
      if (newest > 0) {
        const f = ordered[newest - 1]!;
        const p: TeamPosition = { teamId, lon: f.lon, lat: f.lat, time: f.time };
        if (f.heading !== undefined) p.heading = f.heading;
        if (f.speed !== undefined) p.speed = f.speed;
        if (f.accuracy !== undefined) p.accuracy = f.accuracy;
        deps.publish([p]);
      }
      const checkIns = records.map(parseRecord);
      if (checkIns.length > 0) deps.announceCheckIns(checkIns);
      return { teamId, deviceId, accepted: ordered.length, moved: newest > 0, older: Number(olderRaw), flagged, checkIns };
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
