-- Visits (check-ins of any kind) move deadlines. Idempotent: a visit only ever moves its
-- agency's latest time forward, so replaying check-ins (reconciliation, retries) is harmless.
-- A visit only ever improves a state, so it raises nothing; it resolves its township's alert
-- when it was the last location in that state. Each location whose state changed is a NOTES
-- line; its class wakes (cov:due, only ever earlier) when the location next changes.
--
-- KEYS[1..7]   the alerts prelude's alert keys
-- KEYS[8..13]  the classes include's: cov:class, cov:last, cov:loc, cov:due, cov:township, cov:meta
-- ARGV[1..4]   the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]      n: visits that follow
-- ARGV[6..]    n × (location id, agency, time (epoch ms; later than now counts as now), team id)
-- ARGV[6+4n]   the county day of now (the assessment report counts each visit that moved a
--              location's deadline: on time, or late, with its lapse; reports/tally.ts names)
-- Returns finish('ok').
--- @include "../../alerts/lua/includes/prelude"
--- @include "includes/classes"
--- @include "tally"

local n = tonumber(ARGV[5])
local today = ARGV[6 + n * 4]
local K = metaK()
local touched, wakes = {}, {}
-- Every location's visits and class, and those classes, in three calls for the whole batch.
local locs = {}
for i = 0, n - 1 do locs[#locs + 1] = ARGV[6 + i * 4] end
prefetch(K_LAST, locs)
prefetch(K_LOC, locs)
local ids = {}
for _, loc in ipairs(locs) do ids[#ids + 1] = hget(K_LOC, loc) end
prefetch(K_CLS, ids)
for i = 0, n - 1 do
  local o = 6 + i * 4
  local loc, agency, t, team = ARGV[o], ARGV[o + 1], tonumber(ARGV[o + 2]), ARGV[o + 3]
  if t > now then t = now end
  local last = hget(K_LAST, loc)
  -- One pass over the stored visits gives the new string and each agency's time before and after.
  local entries, before, after, found, changed = {}, {}, {}, false, false
  if last then
    for ag, tt, tm in string.gmatch(last, '([^:;]+):(%d+):([^;]*)') do
      local was = tonumber(tt)
      before[#before + 1] = was
      if ag == agency then
        found = true
        if t > was then tt, tm, changed = I(t), team, true end
      end
      after[#after + 1] = tonumber(tt)
      entries[#entries + 1] = ag .. ':' .. tt .. ':' .. tm
    end
  end
  if not found then
    entries[#entries + 1] = agency .. ':' .. I(t) .. ':' .. team
    after[#after + 1] = t
    changed = true
  end
  if changed then
    table.sort(entries)
    local updated = table.concat(entries, ';')
    hset(K_LAST, loc, updated)
    local cid = hget(K_LOC, loc)
    if cid then
      table.sort(before, newestFirst)
      table.sort(after, newestFirst)
      for k = 1, K do
        if (after[k] or 0) ~= (before[k] or 0) then redis.call('ZADD', zkey(cid, k), I(after[k] or 0), loc) end
      end
      local c = readClass(cid)
      if c and c.g > 0 and today and (after[c.k] or 0) ~= (before[c.k] or 0) then
        -- A required visit: on time before the deadline; after it, a late visit and (unless the
        -- tick already counted this lapse when the location turned uncovered) a missed deadline.
        local base = before[c.k] or 0
        if c.since > base then base = c.since end
        local subject = 'l:' .. loc
        if t <= base + c.g then
          tallyAdd(today, subject, 'onTime', '+', 1)
        else
          tallyAdd(today, subject, 'lateVisit', '+', 1)
          if stateOf(c, before[c.k] or 0, c.P) ~= 'uncovered' then tallyAdd(today, subject, 'missed', '+', 1) end
        end
        if t > base then tallyAdd(today, subject, 'lapseMax', 'max', I(math.floor((t - base) / 1000))) end
      end
      if c and c.g > 0 then
        local was = stateOf(c, before[c.k] or 0, c.P)
        local state, d, due = stateOf(c, after[c.k] or 0, c.P)
        if state ~= was then
          NOTES[#NOTES + 1] = loc .. '=' .. state .. ',' .. I(d) .. ',' .. I(due)
          if was == 'uncovered' or was == 'due_soon' then touched[c.tw] = team end
        end
        -- The class wakes when this location next changes (earlier wakes stay: LT).
        if state ~= 'uncovered' then
          local w = (state == 'covered' and c.lead > 0) and due or d + 1
          if not wakes[cid] or w < wakes[cid] then wakes[cid] = w end
        end
      end
    end
  end
end
local wake = {}
for cid, w in pairs(wakes) do
  wake[#wake + 1] = I(w)
  wake[#wake + 1] = cid
end
for i = 1, #wake, 4000 do redis.call('ZADD', K_DUE, 'LT', unpack(wake, i, math.min(i + 3999, #wake))) end
for tw, team in pairs(touched) do settleTownship(tw, 'visited', team) end
return finish('ok')
