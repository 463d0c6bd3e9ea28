-- A recompute: the classes whose requirement changed (a period started or ended, the plan
-- changed) take the new one, settled at now. Maps reload (one '*=reload' NOTES line); each
-- township concerned raises or resolves its alerts from its counts.
--
-- KEYS[1..7]   the alerts prelude's alert keys
-- KEYS[8..13]  the classes include's: cov:class, cov:last, cov:loc, cov:due, cov:township, cov:meta
-- ARGV[1..4]   the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]      the build the classes are for (cov:meta): another process may have rebuilt
--              them meanwhile, then nothing is written
-- ARGV[6]      '1' after a rebuild: every township settles its alerts; '0' only those changed
-- ARGV[7]      n: classes that follow (only those whose stored requirement differs)
-- ARGV[8..]    n × (class id, "gapMs,k,since,leadMs", township id)
-- Returns finish(status): 'stale' (cov:meta is another build) | 'ok'.
--- @include "../../alerts/lua/includes/prelude"
--- @include "includes/classes"

if redis.call('GET', K_META) ~= ARGV[5] then return finish('stale') end
local all = ARGV[6] == '1'
local n = tonumber(ARGV[7])
local touched, values = {}, {}
for i = 0, n - 1 do
  local o = 8 + i * 3
  local cid, tw = ARGV[o], ARGV[o + 2]
  local value = ARGV[o + 1] .. ',' .. NOWS .. ',' .. tw
  local c = parseClass(cid, value)
  CLS[cid] = c
  values[#values + 1] = cid
  values[#values + 1] = value
  touched[tw] = true
  scheduleEarliest(c)
end
if #values > 0 then bulk('HSET', K_CLS, values) end
if all then
  for _, tw in ipairs(redis.call('HKEYS', K_TW)) do touched[tw] = true end
end
-- The townships' classes and open coverage alerts, two calls for all of them.
local tws, subjects = {}, {}
for tw in pairs(touched) do
  tws[#tws + 1] = tw
  subjects[#subjects + 1] = 'uncovered:' .. tw
  subjects[#subjects + 1] = 'due_soon:' .. tw
end
prefetch(K_SUBJECT, subjects)
prefetch(K_TW, tws)
-- Classes a township counts over that this call did not change.
local others = {}
for _, tw in ipairs(tws) do
  for _, id in ipairs(townshipClasses(tw)) do
    if CLS[id] == nil then others[#others + 1] = id end
  end
end
prefetch(K_CLS, others)
for tw in pairs(touched) do
  for _, kind in ipairs({ 'uncovered', 'due_soon' }) do
    local open = hget(K_SUBJECT, kind .. ':' .. tw)
    if not open and townshipCount(tw, kind) > 0 then
      local at, deadline = townshipEarliest(tw, kind)
      raiseTownship(kind, tw, at, deadline)
    end
  end
  settleTownship(tw, function(kind)
    if not townshipActive(tw) then return 'not_required' end
    if kind == 'due_soon' and townshipCount(tw, 'uncovered') > 0 then return 'superseded' end
    return 'requirement_changed'
  end)
end
if n > 0 or all then NOTES[#NOTES + 1] = '*=reload' end
return finish('ok')
