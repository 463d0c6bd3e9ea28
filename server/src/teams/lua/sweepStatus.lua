-- sweepStatus: derives each team's status from data (latest fix time, explicit end of shift,
-- dispatch flag), compares it with the stored status and writes only the changes. Atomic, so
-- every server process may sweep at once and each change is still reported once.
--
-- KEYS[1] teams             hash  team id → JSON Team (the teams to sweep)
-- KEYS[2] team:status       hash  team id → "status<TAB>since"
-- KEYS[3] team:offduty      hash  team id → server time the patrol ended its shift
-- KEYS[4] teams:responding  set   teams dispatched to an incident
--
-- ARGV[1] key prefix (each team's latest position is named from its id)
-- ARGV[2] now, ms
-- ARGV[3] offline after, ms without a fix
-- ARGV[4] off duty after, ms without a fix
-- ARGV[5] optional: the one team to sweep (default: every team in KEYS[1])
--
-- Returns a flat list of the changes: teamId, status, since ('' unknown), …
--- @include "keys"

local now, offline, offDuty = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = ARGV[5] and {ARGV[5]} or redis.call('HKEYS', KEYS[1])
local out = {}
for _, id in ipairs(ids) do
  local last = tonumber(redis.call('HGET', key.teamPosition(id), 'time'))
  local ended = tonumber(redis.call('HGET', KEYS[3], id))
  if ended and last and last > ended then
    redis.call('HDEL', KEYS[3], id)
    ended = nil
  end
  local want, since
  if ended then want, since = 'off_duty', ended
  elseif not last then want, since = 'off_duty', ''
  elseif now - last > offDuty then want, since = 'off_duty', last + offDuty
  elseif now - last > offline then want, since = 'offline', last + offline
  elseif redis.call('SISMEMBER', KEYS[4], id) == 1 then want = 'responding'
  else want = 'on_patrol' end
  local cur = redis.call('HGET', KEYS[2], id)
  local curStatus = cur and string.match(cur, '^[^\t]+')
  if curStatus ~= want then
    if since == nil then
      -- Back on patrol from silence: since the fix that ended it; otherwise since now.
      if (curStatus == 'on_patrol' or curStatus == 'responding') then since = now else since = math.min(last, now) end
    end
    since = tostring(since)
    if since ~= '' then since = string.format('%d', tonumber(since)) end
    redis.call('HSET', KEYS[2], id, want .. '\t' .. since)
    out[#out + 1] = id
    out[#out + 1] = want
    out[#out + 1] = since
  end
end
return out
