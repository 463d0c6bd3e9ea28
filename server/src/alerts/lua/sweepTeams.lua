-- Team alerts from the derived team status (tracking's status sweep writes it) and from where
-- each team is: offline while on duty, outside its grids for longer than the grace, its phone's
-- battery low while on duty. Each is resolved when the team is back (online, inside, off duty,
-- charged to the threshold + 5: the margin keeps a battery hovering at the line from flapping).
--
-- KEYS[1..7]  the prelude's alert keys
-- KEYS[8]     team:status       hash  team id → "status<TAB>since"
-- KEYS[9]     alerts:outside    hash  team id → fix time it was first seen outside its grids
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     grace, ms: how long a team may be outside before the alert
-- ARGV[6]     battery threshold, percent: below it a team on duty raises battery_low
-- ARGV[7]     n: teams that follow
-- ARGV[8..]   n × (team id, '1' inside | '0' outside | '-' not on patrol, its latest fix time,
--             its battery percent or '-')
-- Returns finish('ok').
--- @include "includes/prelude"

local K_TEAMSTATUS, K_OUTSIDE = KEYS[8], KEYS[9]
local statusOf = {}
local statuses = redis.call('HGETALL', K_TEAMSTATUS)
for i = 1, #statuses, 2 do
  local team, value = statuses[i], statuses[i + 1]
  local status, since = string.match(value, '^([^\t]*)\t?(.*)$')
  statusOf[team] = status
  if status == 'offline' then
    raise('team_offline', team, { teamId = team, at = tonumber(since) or now }, true)
  else
    resolveSubject('team_offline', team, 'system', status == 'off_duty' and 'off_duty' or 'back_online')
  end
end
local grace, low, n = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 0, n - 1 do
  local team, flag, fix, batt = ARGV[8 + i * 4], ARGV[9 + i * 4], ARGV[10 + i * 4], tonumber(ARGV[11 + i * 4])
  if flag == '0' then
    local since = hget(K_OUTSIDE, team)
    if not since then
      since = fix
      hset(K_OUTSIDE, team, since)
    end
    if now - tonumber(since) >= grace then raise('team_outside', team, { teamId = team, at = tonumber(since) }, true) end
  else
    if hget(K_OUTSIDE, team) then hdel(K_OUTSIDE, team) end
    resolveSubject('team_outside', team, 'system', flag == '1' and 'back_inside' or 'not_on_patrol')
  end
  local status = statusOf[team]
  local onDuty = status == 'on_patrol' or status == 'responding'
  if onDuty and batt and batt < low then
    raise('battery_low', team, { teamId = team, at = now, note = tostring(math.floor(batt)) .. '%' }, true)
  elseif onDuty and batt and batt >= low + 5 then
    resolveSubject('battery_low', team, 'system', 'charged')
  elseif not onDuty and status ~= 'offline' then
    -- Offline keeps it: the phone may just be out of reach, as low as it was.
    resolveSubject('battery_low', team, 'system', 'off_duty')
  end
end
return finish('ok')
