-- writeIncident: writes an incident's next state if it is still at the version and state the
-- caller read (else answers what is there now: the caller re-reads and decides again), with
-- every index: open/closed, the due step, the teams' incident sets and their responding flag.
--
-- KEYS[1] inc               hash  incident id → JSON
-- KEYS[2] inc:open          set   ids of incidents not resolved
-- KEYS[3] inc:closed        zset  incident id → resolvedAt
-- KEYS[4] inc:due           zset  incident id → deadline of its next step
-- KEYS[5] teams:responding  set   teams dispatched to an incident
--
-- ARGV[1] key prefix (a team's incident set, inc:team:<teamId>, is named from its id)
-- ARGV[2] now, ms
-- ARGV[3] incident id
-- ARGV[4] expected version
-- ARGV[5] expected state
-- ARGV[6] the new JSON
-- ARGV[7] deadline of its next step, ms ('' none)
-- ARGV[8] team before ('' none)
-- ARGV[9] team after ('' none)
-- ARGV[10] the report's tally of this step (redis/lua/tally.lua; '' none): counted only if written
--
-- Returns {'missing', ''} | {'conflict', JSON now} | {'ok', JSON, team…}: the teams whose
-- responding flag was re-derived.
--- @include "keys"
--- @include "includes/setDue"
--- @include "tally"

-- States in which an incident keeps its team busy.
local ACTIVE = { dispatched = true, accepted = true, on_scene = true }

-- A team responds while any open incident is dispatched to it.
local function syncResponding(team)
  if redis.call('SCARD', key.teamIncidents(team)) > 0 then
    redis.call('SADD', KEYS[5], team)
  else
    redis.call('SREM', KEYS[5], team)
  end
end

local now, id = tonumber(ARGV[2]), ARGV[3]
local cur = redis.call('HGET', KEYS[1], id)
if not cur then return { 'missing', '' } end
local c = cjson.decode(cur)
if tostring(c.version) ~= ARGV[4] or c.state ~= ARGV[5] then return { 'conflict', cur } end
local n = cjson.decode(ARGV[6])
redis.call('HSET', KEYS[1], id, ARGV[6])
tally(ARGV[10])
setDue(KEYS[4], id, ARGV[7])
if n.state == 'resolved' then
  redis.call('SREM', KEYS[2], id)
  redis.call('ZADD', KEYS[3], now, id)
else
  redis.call('SADD', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
end
local out = { 'ok', ARGV[6] }
local before, after = ARGV[8], ARGV[9]
if before ~= '' then redis.call('SREM', key.teamIncidents(before), id) end
if after ~= '' and ACTIVE[n.state] then redis.call('SADD', key.teamIncidents(after), id) end
if before ~= '' then
  syncResponding(before)
  out[#out + 1] = before
end
if after ~= '' and after ~= before then
  syncResponding(after)
  out[#out + 1] = after
end
return out
