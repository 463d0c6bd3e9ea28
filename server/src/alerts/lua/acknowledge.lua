-- Acknowledges an alert (确认): who and when, with a note; it no longer escalates. Idempotent:
-- a second call answers the alert unchanged.
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     alert id
-- ARGV[6]     by: the user's name
-- ARGV[7]     note ('' for none)
-- Returns finish(status, alert JSON): 'missing' (no payload) | 'resolved' (already; unchanged)
--   | 'same' (already acknowledged) | 'ok'.
--- @include "includes/prelude"

local a = getAlert(ARGV[5])
if not a then return finish('missing') end
if a.state == 'resolved' then return finish('resolved', rawAlert(a.id)) end
if not acknowledge(a, ARGV[6], ARGV[7]) then return finish('same', rawAlert(a.id)) end
local r = finish('ok')
r[2] = ENC[a.id]
return r
