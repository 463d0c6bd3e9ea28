-- ingest: records a request's fixes for one team, atomically. Authenticates the device (or
-- takes a signed-in patrol's team), appends every fix to the team's history (a resend of a
-- fix seen in the last hour is stored once), indexes fixes uploaded late by fix time, moves
-- the latest position only for a newer fix, advances the team's dwell time at key locations
-- and records the automatic check-ins that completes.
--
-- Dwell runs on server receive time, so a phone cannot make a visit by what it writes in its
-- fixes: a visit starts at the receive time of the first live fix inside a location's radius
-- and completes on a later live fix received at least `dwell` later (and taken at least `dwell`
-- after the first). The fixes of one request share one receive time, so one upload never
-- completes a visit it started, and late fixes (near '-') neither start nor end one.
--
-- KEYS[1] device:auth    hash  sha256(identifier) → "deviceId<TAB>teamId<TAB>revokedAt"
-- KEYS[2] team:geo       geo   team id at its latest position
-- KEYS[3] device:seen    hash  device id → server time of its last accepted fix
-- KEYS[4] device:battery hash  device id → "percent<TAB>server time" of its last battery report
--
-- ARGV[1]  key prefix (team keys are named from the team id read in device mode)
-- ARGV[2]  mode: 'device' or 'team'
-- ARGV[3]  device mode: sha256 of the device identifier; team mode: the team id
-- ARGV[4]  now, ms (app clock; also the stream ids' millisecond)
-- ARGV[5]  min stream id: history older than the retention is trimmed
-- ARGV[6]  team mode: who reports (stands for the device in the resend check and check-ins)
-- ARGV[7]  late after, ms: a fix uploaded this long after it was taken is indexed by fix time
-- ARGV[8]  dwell, ms: time inside a location's radius that makes an automatic check-in, on the
--          server's clock and on the fixes' alike
-- ARGV[9]  retention, ms (check-in ids and the dwell hash expire after it)
-- ARGV[10] battery percent of the request's newest fix that carried one ('' none): kept per
--          device and on the team's position (`batt`, `battAt`)
-- ARGV[11] n, the number of fixes, oldest first; then 8 arguments per fix:
--          time lon lat heading speed accuracy flag ('p' poor, '' good) near, where near is
--          '' (near no location), '-' (skip dwell: poor, or late: taken more than LATE_AFTER
--          before now) or 'L-1:12.5,L-2:30'
--          (location id:distance in metres, of every location whose radius holds the fix)
--
-- Returns {'unknown'} for an unknown device, {'revoked', deviceId} for a revoked one, else
-- {'ok', teamId, deviceId, newest, older, record…}: newest is the 1-based index of the fix that
-- moved the latest position (0: none), older how many went to history only (older or resent),
-- and each record is a new automatic check-in, tab-separated (checkins/record.ts's fields).
--- @include "xaddAt"
--- @include "keys"

local RESEND_WINDOW = 3600000
local mode, who, nowS, minId = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(nowS)
local LATE_AFTER, DWELL_MS, RETENTION = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local battery = ARGV[10]
local n = tonumber(ARGV[11])
local FIRST = 11
local teamId, deviceId = who, ARGV[6]
if mode == 'device' then
  local rec = redis.call('HGET', KEYS[1], who)
  if not rec then return {'unknown'} end
  local a = string.find(rec, '\t', 1, true)
  local b = string.find(rec, '\t', a + 1, true)
  deviceId = string.sub(rec, 1, a - 1)
  teamId = string.sub(rec, a + 1, b - 1)
  if b < #rec then return {'revoked', deviceId} end
  redis.call('HSET', KEYS[3], deviceId, nowS)
  if battery ~= '' then redis.call('HSET', KEYS[4], deviceId, battery .. '\t' .. nowS) end
end
local posKey, trackKey, fixesKey = key.teamPosition(teamId), key.teamTrack(teamId), key.teamFixes(teamId)
local lateKey = key.teamLate(teamId)
local latest = redis.call('HMGET', posKey, 'time', 'dw')
local last = tonumber(latest[1])
-- Whether the team is inside any location's radius: without it, a fix near nothing skips the dwell hash.
local hadDwell = latest[2] == '1'
-- The track id's millisecond, settled by the first XADD; a batch trims once, at the end,
-- because MINID on every XADD costs more than the append itself.
local trackId = nil
local newest, older, late = 0, 0, 0
local dwell, dwellChanged = nil, false
local out = {}

-- The team's dwell hash, read on first need: location id → { since, t0, done }, where since is
-- the receive time (ms) of the visit's first fix and t0 that fix's own time. Stored as
-- 'since:t0', with '\t1' appended once done (a value without ':' predates t0: both are since).
local function readDwell()
  local d = {}
  local flat = redis.call('HGETALL', key.teamDwell(teamId))
  for j = 1, #flat, 2 do
    local v = flat[j + 1]
    local tab = string.find(v, '\t', 1, true)
    if tab then v = string.sub(v, 1, tab - 1) end
    local colon = string.find(v, ':', 1, true)
    local since = colon and string.sub(v, 1, colon - 1) or v
    d[flat[j]] = { since = since, t0 = colon and string.sub(v, colon + 1) or since, done = tab ~= nil }
  end
  return d
end

-- Records the automatic check-in of a completed dwell, once per visit (its id names the visit).
local function checkIn(loc, since, t, lon, lat, acc, dist)
  local cid = 'auto-' .. loc .. '-' .. since
  local rec = table.concat({cid, t, teamId, loc, 'auto', lon, lat, acc, dist, deviceId, nowS}, '\t')
  if redis.call('SET', key.checkinId(teamId, cid), rec, 'NX', 'PX', RETENTION) then
    local f = {'id', cid, 't', t, 'team', teamId, 'loc', loc, 'kind', 'auto', 'lon', lon, 'lat', lat, 'acc', acc, 'dist', dist, 'by', deviceId, 'at', nowS}
    xaddAt(key.locationCheckins(loc), now, minId, unpack(f))
    xaddAt(key.teamCheckins(teamId), now, minId, unpack(f))
    out[#out + 1] = rec
  end
end

for i = 1, n do
  local o = FIRST + (i - 1) * 8
  local t, lon, lat, acc, near = ARGV[o + 1], ARGV[o + 2], ARGV[o + 3], ARGV[o + 6], ARGV[o + 8]
  local tn = tonumber(t)
  -- A resent fix (an acknowledgement lost on the way back) is stored once: the same device and
  -- fix time seen in the last hour is skipped, and counts as older (it moves nothing).
  if redis.call('ZADD', fixesKey, 'NX', now, deviceId .. '@' .. t) == 0 then
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
      redis.call('ZADD', lateKey, tn, sid)
      late = late + 1
    end
    if last and tn <= last then
      older = older + 1
    else
      last = tn
      newest = i
      if near ~= '-' and (near ~= '' or hadDwell or dwell) then
        if not dwell then dwell = readDwell() end
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
            d = { since = nowS, t0 = t, done = false }
            dwell[loc] = d
            dwellChanged = true
          end
          if not d.done and now - tonumber(d.since) >= DWELL_MS and tn - tonumber(d.t0) >= DWELL_MS then
            d.done = true
            dwellChanged = true
            checkIn(loc, d.since, t, lon, lat, acc, here[loc])
          end
        end
      end
    end
  end
end
local dw = hadDwell and '1' or ''
if dwellChanged then
  local dk = key.teamDwell(teamId)
  redis.call('DEL', dk)
  local args = {}
  for loc, d in pairs(dwell) do
    args[#args + 1] = loc
    args[#args + 1] = d.since .. ':' .. d.t0 .. (d.done and '\t1' or '')
  end
  dw = ''
  if #args > 0 then
    redis.call('HSET', dk, unpack(args))
    redis.call('PEXPIRE', dk, RETENTION)
    dw = '1'
  end
end
if newest > 0 then
  local o = FIRST + (newest - 1) * 8
  redis.call('HSET', posKey, 'lon', ARGV[o + 2], 'lat', ARGV[o + 3], 'time', ARGV[o + 1], 'heading', ARGV[o + 4], 'speed', ARGV[o + 5], 'accuracy', ARGV[o + 6], 'dw', dw)
  redis.call('GEOADD', KEYS[2], ARGV[o + 2], ARGV[o + 3], teamId)
end
if battery ~= '' then redis.call('HSET', posKey, 'batt', battery, 'battAt', nowS) end
if n > 1 then redis.call('XTRIM', trackKey, 'MINID', '~', minId) end
if late > 0 then redis.call('ZREMRANGEBYSCORE', lateKey, '-inf', '(' .. minId) end
redis.call('ZREMRANGEBYSCORE', fixesKey, '-inf', '(' .. (now - RESEND_WINDOW))
local reply = {'ok', teamId, deviceId, tostring(newest), tostring(older)}
for _, rec in ipairs(out) do reply[#reply + 1] = rec end
return reply
