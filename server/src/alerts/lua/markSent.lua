-- Notes on a township's open coverage alerts (uncovered, due soon) that a team was sent to one
-- of its locations.
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     township id
-- ARGV[6]     team id
-- ARGV[7]     by: the user's name
-- ARGV[8]     location id
-- Returns finish('ok').
--- @include "includes/prelude"

for _, kind in ipairs({ 'uncovered', 'due_soon' }) do
  local a = openAlertOf(kind, ARGV[5])
  if a then
    a.sent = { teamId = ARGV[6], by = ARGV[7], at = now, locationId = ARGV[8] }
    logEvent(a, 'sent', ARGV[7], ARGV[6] .. ' → ' .. ARGV[8])
    touch(a, 'updated')
  end
end
return finish('ok')
