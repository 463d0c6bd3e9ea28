-- Resolves an alert by hand, with a reason and a note. Idempotent: a second call answers the
-- alert unchanged.
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     alert id
-- ARGV[6]     by: the user's name
-- ARGV[7]     reason
-- ARGV[8]     note ('' for none)
-- Returns finish(status, alert JSON): 'missing' (no payload) | 'same' (already resolved) | 'ok'.
--- @include "includes/prelude"

local a = getAlert(ARGV[5])
if not a then return finish('missing') end
if not resolveAlert(a, ARGV[6], ARGV[7], ARGV[8]) then return finish('same', rawAlert(a.id)) end
local r = finish('ok')
r[2] = ENC[a.id]
return r
