/**
 * The alert lifecycle as Redis scripts: raise (SOS and team alerts), acknowledge, resolve,
 * escalate, mark a team sent. Each is one atomic step, so retries and concurrent server
 * processes see each transition happen once. ARGV from 4 on, after the prelude's three.
 */
import { luaScript } from './lua.ts';

/** ARGV: id, by, note → 'missing' | 'resolved' | 'same' (already acknowledged) | 'ok'; payload: the alert. */
export const ACKNOWLEDGE = luaScript(`
local a = getAlert(ARGV[4])
if not a then return finish('missing') end
if a.state == 'resolved' then return finish('resolved', rawAlert(a.id)) end
if not acknowledge(a, ARGV[5], ARGV[6]) then return finish('same', rawAlert(a.id)) end
local r = finish('ok')
r[2] = ENC[a.id]
return r
`);

/** ARGV: id, by, reason, note → 'missing' | 'same' (already resolved) | 'ok'; payload: the alert. */
export const RESOLVE = luaScript(`
local a = getAlert(ARGV[4])
if not a then return finish('missing') end
if not resolveAlert(a, ARGV[5], ARGV[6], ARGV[7]) then return finish('same', rawAlert(a.id)) end
local r = finish('ok')
r[2] = ENC[a.id]
return r
`);

/**
 * ARGV: kind, subject, fields (JSON object), escalates ('1'/'0') → 'ok' (raised) or 'exists'
 * (one is already open: that one is the payload).
 */
export const RAISE = luaScript(`
local id = raise(ARGV[4], ARGV[5], cjson.decode(ARGV[6]), ARGV[7] == '1')
if not id then
  local open = hget(K_SUBJECT, ARGV[4] .. ':' .. ARGV[5])
  return finish('exists', open and rawAlert(open) or '')
end
local r = finish('ok')
r[2] = ENC[id]
return r
`);

/** ARGV: kind, subject, reason, note → 'ok' (resolved one) | 'none' (none was open). */
export const RESOLVE_SUBJECT = luaScript(`
if not hget(K_SUBJECT, ARGV[4] .. ':' .. ARGV[5]) then return finish('none') end
resolveSubject(ARGV[4], ARGV[5], 'system', ARGV[6], ARGV[7])
return finish('ok')
`);

/** Escalates what nobody acknowledged in time; forgets resolved alerts past the retention. ARGV: limit, forget-before. */
export const ESCALATE = luaScript(`
local limit = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', K_ESC, '-inf', I(now), 'LIMIT', 0, limit)
for _, id in ipairs(due) do
  escalate(id)
  zrem(K_ESC, id)
end
local old = redis.call('ZRANGEBYSCORE', K_CLOSED, '-inf', '(' .. ARGV[5], 'LIMIT', 0, 1000)
if #old > 0 then
  redis.call('HDEL', K_ALERTS, unpack(old))
  redis.call('ZREM', K_CLOSED, unpack(old))
end
return finish(#due == limit and 'more' or 'ok')
`);

/**
 * Team alerts from the derived team status (tracking's status sweep writes it) and from where
 * each team is: offline while on duty, outside its grids for longer than the grace.
 * ARGV: grace ms, n, then n × (team id, '1' inside | '0' outside | '-' not on patrol, fix time).
 */
export const SWEEP_TEAMS = luaScript(`
local statuses = redis.call('HGETALL', K_TEAMSTATUS)
for i = 1, #statuses, 2 do
  local team, value = statuses[i], statuses[i + 1]
  local status, since = string.match(value, '^([^\\t]*)\\t?(.*)$')
  if status == 'offline' then
    raise('team_offline', team, { teamId = team, at = tonumber(since) or now }, true)
  else
    resolveSubject('team_offline', team, 'system', status == 'off_duty' and 'off_duty' or 'back_online')
  end
end
local grace, n = tonumber(ARGV[4]), tonumber(ARGV[5])
for i = 0, n - 1 do
  local team, flag, fix = ARGV[6 + i * 3], ARGV[7 + i * 3], ARGV[8 + i * 3]
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
end
return finish('ok')
`);

/** Notes on a township's open coverage alerts that a team was sent to one of its locations. ARGV: township id, team id, by, location id. */
export const MARK_SENT = luaScript(`
for _, kind in ipairs({ 'uncovered', 'due_soon' }) do
  local a = openAlertOf(kind, ARGV[4])
  if a then
    a.sent = { teamId = ARGV[5], by = ARGV[6], at = now, locationId = ARGV[7] }
    logEvent(a, 'sent', ARGV[6], ARGV[5] .. ' → ' .. ARGV[7])
    touch(a, 'updated')
  end
end
return finish('ok')
`);
