-- Resolves the open alert of a kind for a subject, if any (an incident's late step done).
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     kind
-- ARGV[6]     subject
-- ARGV[7]     reason
-- ARGV[8]     note ('' for none)
-- ARGV[9]     the report's tally of resolving it ('' none): counted only if one was open
-- Returns finish(status): 'ok' (resolved one) | 'none' (none was open).
--- @include "includes/prelude"
--- @include "tally"

if not hget(K_SUBJECT, ARGV[5] .. ':' .. ARGV[6]) then return finish('none') end
resolveSubject(ARGV[5], ARGV[6], 'system', ARGV[7], ARGV[8])
tally(ARGV[9])
return finish('ok')
