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
import type { CheckIn } from '../checkins/schemas.ts';
import type { PositionsAccepted } from './schemas.ts';
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
 * The common case costs one XADD; only a refused id pays for reading the top.
 * xaddAt(key, ms, minId, field, value, …) → id, the millisecond used.
 */
export const XADD_AT = `
local function xaddAt(key, ms, minId, ...)
  local id = redis.pcall('XADD', key, 'MINID', '~', minId, string.format('%d-*', ms), ...)
  if type(id) == 'table' and id.err then
    local top = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
    ms = tonumber(string.match(top[1], '^(%d+)'))
    id = redis.call('XADD', key, 'MINID', '~', minId, string.format('%d-*', ms), ...)
  end
  return id, ms
end
`;

/** Lua string literal of a key prefix (config restricts prefixes to letters, digits and : . _ -). */
const lua = (text: string) => JSON.stringify(text);

/**
 * The ingest script, with the key prefixes and limits written in (fewer arguments per call).
 * KEYS: device:auth, team:geo, device:seen. ARGV: mode ('device'|'team'), token hash or team id,
 * now, min stream id, by (team mode), n, then per fix: t lon lat heading speed accuracy flag near
 * (near: '' none, '-' skip dwell, or 'L-1:12.5,L-2:30').
 */
function ingestScript(p: { pos: string; track: string; late: string; fixes: string; dwell: string; checkinId: string; locCheckins: string; teamCheckins: string; lateAfterMs: number; dwellMs: number; retentionMs: number }): string {
  return `${XADD_AT}
local POS, TRACK, LATE, DWELL = ${lua(p.pos)}, ${lua(p.track)}, ${lua(p.late)}, ${lua(p.dwell)}
local CHECKIN_ID, LOC_CHECKINS, TEAM_CHECKINS = ${lua(p.checkinId)}, ${lua(p.locCheckins)}, ${lua(p.teamCheckins)}
local FIXES, RESEND_WINDOW = ${lua(p.fixes)}, 3600000
local LATE_AFTER, DWELL_MS, RETENTION = ${p.lateAfterMs}, ${p.dwellMs}, '${p.retentionMs}'
local mode, who, nowS, minId = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(nowS)
local teamId, deviceId = who, ARGV[5]
if mode == 'device' then
  local rec = redis.call('HGET', KEYS[1], who)
  if not rec then return {'unknown'} end
  local a = string.find(rec, '\t', 1, true)
  local b = string.find(rec, '\t', a + 1, true)
  deviceId = string.sub(rec, 1, a - 1)
  teamId = string.sub(rec, a + 1, b - 1)
  if b < #rec then return {'revoked', deviceId} end
  redis.call('HSET', KEYS[3], deviceId, nowS)
end
local posKey, trackKey = POS .. teamId, TRACK .. teamId
local latest = redis.call('HMGET', posKey, 'time', 'dw')
local last = tonumber(latest[1])
-- Whether the team is inside any location's radius: without it, a fix near nothing skips the dwell hash.
local hadDwell = latest[2] == '1'
local n = tonumber(ARGV[6])
-- The track id's millisecond, settled by the first XADD; a batch trims once, at the end,
-- because MINID on every XADD costs more than the append itself.
local trackId = nil
local newest, older, late = 0, 0, 0
local dwell, dwellChanged = nil, false
local out = {}
for i = 1, n do
  local o = 6 + (i - 1) * 8
  local t, lon, lat, acc, near = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 6], ARGV[o + 8]
  local tn = tonumber(t)
  -- A resent fix (an acknowledgement lost on the way back) is stored once: the same device and
  -- fix time seen in the last hour is skipped, and counts as older (it moves nothing).
  if redis.call('ZADD', FIXES .. teamId, 'NX', now, deviceId .. '@' .. t) == 0 then
    older = older + 1
  else
    local sid
    if trackId then
      sid = redis.call('XADD', trackKey, trackId, 't', t, 'lon', lon, 'lat', lat, 'hd', ARGV[o + 4], 'sp', ARGV[o + 5], 'acc', acc, 'q', ARGV[o + 7], 'dev', deviceId)
    else
      local ms
      sid, ms = xaddAt(trackKey, now, n == 1 and minId or '0', 't', t, 'lon', lon, 'lat', lat, 'hd', ARGV[o + 4], 'sp', ARGV[o + 5], 'acc', acc, 'q', ARGV[o + 7], 'dev', deviceId)
      trackId = string.format('%d-*', ms)
    end
    if now - tn > LATE_AFTER then
      redis.call('ZADD', LATE .. teamId, tn, sid)
      late = late + 1
    end
    if last and tn <= last then
      older = older + 1
    else
      last = tn
      newest = i
      if near ~= '-' and (near ~= '' or hadDwell or dwell) then
        if not dwell then
          dwell = {}
          local flat = redis.call('HGETALL', DWELL .. teamId)
          for j = 1, #flat, 2 do
            local v = flat[j + 1]
            local tab = string.find(v, '\t', 1, true)
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
          if not d.done and tn - tonumber(d.since) >= DWELL_MS then
            d.done = true
            dwellChanged = true
            local cid = 'auto-' .. loc .. '-' .. d.since
            local values = {cid, t, teamId, loc, 'auto', lon, lat, acc, here[loc], deviceId, nowS}
            local rec = table.concat(values, '\t')
            if redis.call('SET', CHECKIN_ID .. teamId .. ':' .. cid, rec, 'NX', 'PX', RETENTION) then
              local f = {'id', cid, 't', t, 'team', teamId, 'loc', loc, 'kind', 'auto', 'lon', lon, 'lat', lat, 'acc', acc, 'dist', here[loc], 'by', deviceId, 'at', nowS}
              xaddAt(LOC_CHECKINS .. loc, now, minId, unpack(f))
              xaddAt(TEAM_CHECKINS .. teamId, now, minId, unpack(f))
              out[#out + 1] = rec
            end
          end
        end
      end
    end
  end
end
local dw = hadDwell and '1' or ''
if dwellChanged then
  local dk = DWELL .. teamId
  redis.call('DEL', dk)
  local args = {}
  for loc, d in pairs(dwell) do
    args[#args + 1] = loc
    args[#args + 1] = d.done and (d.since .. '\t1') or d.since
  end
  dw = ''
  if #args > 0 then
    redis.call('HSET', dk, unpack(args))
    redis.call('PEXPIRE', dk, RETENTION)
    dw = '1'
  end
end
if newest > 0 then
  local o = 6 + (newest - 1) * 8
  redis.call('HSET', posKey, 'lon', ARGV[o + 2], 'lat', ARGV[o + 3], 'time', ARGV[o + 1], 'heading', ARGV[o + 4], 'speed', ARGV[o + 5], 'accuracy', ARGV[o + 6], 'dw', dw)
  redis.call('GEOADD', KEYS[2], ARGV[o + 2], ARGV[o + 3], teamId)
end
if n > 1 then redis.call('XTRIM', trackKey, 'MINID', '~', minId) end
if late > 0 then redis.call('ZREMRANGEBYSCORE', LATE .. teamId, '-inf', '(' .. minId) end
redis.call('ZREMRANGEBYSCORE', FIXES .. teamId, '-inf', '(' .. (now - RESEND_WINDOW))
local reply = {'ok', teamId, deviceId, tostring(newest), tostring(older)}
for _, rec in ipairs(out) do reply[#reply + 1] = rec end
return reply
`;
}

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
  const checkinId = prefixOf((id) => keys.checkinId(id, 'x').slice(0, -2));
  if (keys.checkinId('a', 'b') !== `${checkinId}a:b`) throw new Error('key layout changed: checkin:id');
  const runIngest = luaScript(
    ingestScript({
      pos: prefixOf(keys.teamPosition),
      track: prefixOf(keys.teamTrack),
      late: prefixOf(keys.teamLate),
      fixes: prefixOf(keys.teamFixes),
      dwell: prefixOf(keys.teamDwell),
      checkinId,
      locCheckins: prefixOf(keys.locationCheckins),
      teamCheckins: prefixOf(keys.teamCheckins),
      lateAfterMs: LATE_AFTER_MS,
      dwellMs: deps.dwellMs,
      retentionMs: deps.retentionMs,
    }),
  );
  // Accepted counts are added up here and written once a second: one command fewer per request.
  const accepted = new Map<IngestSource, number>();

  async function refuseUnlessValid(hash: string, deviceField: string): Promise<void> {
    const value = await redis.hGet(keys.deviceAuth, hash);
    if (!value) throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
    if (!value.endsWith('\t')) throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
  }

  return {
    /** Writes the accepted counts added up since the last call (`accepted:<source>` in ingest:stats). */
    async flushStats(): Promise<void> {
      if (accepted.size === 0) return;
      const counts = [...accepted];
      accepted.clear();
      const multi = redis.multi();
      for (const [source, n] of counts) multi.hIncrBy(keys.ingestStats, `accepted:${source}`, n);
      await multi.exec().catch(() => {
        for (const [source, n] of counts) accepted.set(source, (accepted.get(source) ?? 0) + n);
      });
    },

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
        'deviceHash' in auth ? '' : auth.by,
        String(ordered.length),
      ];
      let flagged = 0;
      for (const fix of ordered) {
        const poor = fix.invalid === true || (fix.accuracy !== undefined && fix.accuracy > deps.poorAccuracyM);
        if (poor) flagged++;
        let near = '-';
        // A poor fix neither starts nor ends a visit, nor does a fix too old to become a check-in.
        if (!poor && now - fix.time <= CHECKIN_MAX_AGE_MS) {
          near = context.index.size === 0 ? '' : context.index.near(fix.lon, fix.lat).map((n) => `${n.location.id}:${Math.round(n.distance * 10) / 10}`).join(',');
        }
        args.push(String(fix.time), String(fix.lon), String(fix.lat), str(fix.heading), str(fix.speed), str(fix.accuracy), poor ? 'p' : '', near);
      }
      const reply = (await runIngest(redis, [keys.deviceAuth, keys.teamGeo, keys.deviceSeen], args)) as string[];
      if (reply[0] === 'unknown') throw new HttpError(401, `${deviceField} is not a registered device`, deviceField);
      if (reply[0] === 'revoked') throw new HttpError(403, `${deviceField} names a revoked device`, deviceField);
      accepted.set(source, (accepted.get(source) ?? 0) + ordered.length);
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
