-- Raises an alert (an SOS, a late incident step) unless one of its kind is open for the subject.
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     kind
-- ARGV[6]     subject (township, team or incident id)
-- ARGV[7]     the alert's other fields, a JSON object of strings and numbers
-- ARGV[8]     '1' if it escalates when nobody acknowledges it, '0' if not
-- ARGV[9]     the report's tally of raising it (redis/lua/tally.lua; '' none): counted only if raised
-- Returns finish(status, alert JSON): 'ok' (raised: the new alert) | 'exists' (the open one, or
--   '' if it vanished meanwhile).
--- @include "includes/prelude"
--- @include "tally"

local id = raise(ARGV[5], ARGV[6], cjson.decode(ARGV[7]), ARGV[8] == '1')
if not id then
  local open = hget(K_SUBJECT, ARGV[5] .. ':' .. ARGV[6])
  return finish('exists', open and rawAlert(open) or '')
end
tally(ARGV[9])
local r = finish('ok')
r[2] = ENC[id]
return r
