-- A scheduler tick: every class due (cov:due) moves from its settledAt to now. The locations
-- whose base lies in the window that passed are announced (uncovered, due soon: one NOTES line
-- per class and state); a township gets its alert when a location of it newly enters the state
-- and none is open. Safe in every process at once: a class settled by one is no longer due for
-- the other.
--
-- KEYS[1..7]   the alerts prelude's alert keys
-- KEYS[8..13]  the classes include's: cov:class, cov:last, cov:loc, cov:due, cov:township, cov:meta
-- ARGV[1..4]   the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]      limit: the most classes to settle
-- ARGV[6]      the county day of now: each location newly uncovered counts a missed deadline (report)
-- Returns finish(status): 'more' (limit reached: call again) | 'ok'.
--- @include "../../alerts/lua/includes/prelude"
--- @include "includes/classes"
--- @include "tally"

local limit = tonumber(ARGV[5])
local due = redis.call('ZRANGEBYSCORE', K_DUE, '-inf', NOWS, 'LIMIT', 0, limit)
prefetch(K_CLS, due)
local newU, newD = {}, {}
for _, cid in ipairs(due) do
  local c = readClass(cid)
  if not c or c.g == 0 then
    zrem(K_DUE, cid)
  else
    -- The locations not uncovered at settledAt, by base b = max(vk, since), ascending: those
    -- that turned uncovered (b <= now - g - 1) or due soon (b in [max(P - g + lead + 1,
    -- now - g), now - g + lead]) since, then the first one still to turn: when the class wakes.
    local t0 = c.P < now and c.P or now
    local uHi, dHi = now - c.g - 1, now - c.g + c.lead
    local dLo = t0 - c.g + c.lead + 1
    if now - c.g > dLo then dLo = now - c.g end
    local list
    if c.since >= t0 - c.g then
      list = redis.call('ZRANGE', zkey(c.id, c.k), 0, -1, 'WITHSCORES')
    else
      list = redis.call('ZRANGEBYSCORE', zkey(c.id, c.k), I(t0 - c.g), '+inf', 'WITHSCORES')
    end
    -- Announced as one change per class and state: the engine computes each deadline.
    local wake, U, D = nil, {}, {}
    for i = 1, #list, 2 do
      local v = tonumber(list[i + 1])
      local b = v > c.since and v or c.since
      local d = b + c.g
      if b <= uHi then
        U[#U + 1] = list[i]
        U[#U + 1] = list[i + 1]
        if ARGV[6] then tallyAdd(ARGV[6], 'l:' .. list[i], 'missed', '+', 1) end
        local u = newU[c.tw]
        if not u or d < u then newU[c.tw] = d end
      else
        if not wake or d + 1 < wake then wake = d + 1 end
        if c.lead > 0 and b > dHi then
          -- Not due yet: neither is any later one.
          if d - c.lead < wake then wake = d - c.lead end
          break
        end
        if c.lead > 0 and b >= dLo then
          D[#D + 1] = list[i]
          D[#D + 1] = list[i + 1]
          local e = newD[c.tw]
          if not e or d - c.lead < e[1] then newD[c.tw] = { d - c.lead, d } end
        end
        if c.lead == 0 then break end
      end
    end
    local shape = ',' .. I(c.g) .. ',' .. I(c.since) .. ',' .. I(c.lead) .. '='
    if #U > 0 then NOTES[#NOTES + 1] = '#uncovered' .. shape .. table.concat(U, '\t') end
    if #D > 0 then NOTES[#NOTES + 1] = '#due_soon' .. shape .. table.concat(D, '\t') end
    if wake then zadd(K_DUE, I(wake), cid) else zrem(K_DUE, cid) end
    if c.P ~= now then
      c.P = now
      CLS_DIRTY[cid] = true
    end
  end
end
for tw, d in pairs(newU) do
  if not hget(K_SUBJECT, 'uncovered:' .. tw) then raiseTownship('uncovered', tw, d, d) end
  settleTownship(tw, 'superseded', nil, { 'due_soon' })
end
for tw, e in pairs(newD) do
  if not hget(K_SUBJECT, 'due_soon:' .. tw) and townshipCount(tw, 'due_soon') > 0 then raiseTownship('due_soon', tw, e[1], e[2]) end
end
writeClasses()
return finish(#due >= limit and 'more' or 'ok')
