-- Coverage classes: locations that every key period and rule treat alike (same township,
-- category, effective priority and scoped periods) form a class. What a class needs is one entry
-- of cov:class, and each class keeps its locations in sorted sets (cov:z:<class>:<k>) scored by
-- their k-th latest distinct-agency visit. A location's deadline is max(score, since) + gap, so
-- "which locations of the class turned uncovered between two instants" is one score range.
-- A class's settledAt is the instant its locations' states were last announced: states are
-- computed at it, so a visit and a tick running in any order, in any process, agree.
-- The state formula mirrors geo's nextDeadline (tests compare the two). Uncovered and due-soon
-- alerts are one per township, counted over the township's classes.
--
-- KEYS (after the alerts prelude's seven; every coverage script passes all six, in this order):
--   KEYS[8]  cov:class      hash    class id → "gapMs,k,since,leadMs,settledAt,township"
--   KEYS[9]  cov:last       hash    location id → "agency:time:team;…" latest visit per agency
--   KEYS[10] cov:loc        hash    location id → class id
--   KEYS[11] cov:due        zset    class id → when one of its locations next changes state
--   KEYS[12] cov:township   hash    township id → its class ids, tab-separated
--   KEYS[13] cov:meta       string  "<coverage version>:<geography version>:<k>" the classes were built for
-- ARGV: the alerts prelude's (ARGV[1] is the key prefix: the per-class sorted sets are named
--   from it with key.covClassVisits(classId, k)).
-- Reports a changed location as a NOTES line: "loc=state,deadline,dueAt" for one location;
--   "#state,gapMs,since,leadMs=loc<TAB>kth<TAB>loc<TAB>kth…" for many of one class (the caller
--   computes each deadline, max(kth, since) + gap); "*=reload" when requirements changed.
--- @include "../../../alerts/lua/includes/prelude"
--- @include "keys"

local K_CLS, K_LAST, K_LOC, K_DUE, K_TW, K_META = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13]
-- K_CLS: class id → "gapMs,k,since,leadMs,settledAt,township" (gapMs 0: not in a key period).
local CLS, CLS_DIRTY = {}, {}
local function parseClass(id, v)
  local g, k, since, lead, p, tw = string.match(v, '^(%d+),(%d+),(%-?%d+),(%d+),(%-?%d+),(.*)$')
  return { id = id, g = tonumber(g), k = tonumber(k), since = tonumber(since), lead = tonumber(lead), P = tonumber(p), tw = tw }
end
-- Through the read cache: prefetch(K_CLS, ids) first reads hundreds in one call.
local function readClass(id)
  local c = CLS[id]
  if c == nil then
    local v = hget(K_CLS, id)
    c = v and parseClass(id, v) or false
    CLS[id] = c
  end
  return c or nil
end
local function writeClasses()
  local list = {}
  for id in pairs(CLS_DIRTY) do
    local c = CLS[id]
    list[#list + 1] = id
    list[#list + 1] = I(c.g) .. ',' .. I(c.k) .. ',' .. I(c.since) .. ',' .. I(c.lead) .. ',' .. I(c.P) .. ',' .. c.tw
  end
  if #list > 0 then bulk('HSET', K_CLS, list) end
end
local zkey = key.covClassVisits
local function metaK() return tonumber(string.match(redis.call('GET', K_META) or '', ':(%d+)$') or '0') end

-- A location's state at t from its k-th latest visit vk; and its deadline and due-soon instant.
-- In time up to and including the deadline: a visit exactly at it still counts.
local function stateOf(c, vk, t)
  if c.g == 0 then return 'inactive', 0, 0 end
  local d = (vk > c.since and vk or c.since) + c.g
  if t > d then return 'uncovered', d, d - c.lead end
  if c.lead > 0 and t >= d - c.lead then return 'due_soon', d, d - c.lead end
  return 'covered', d, d - c.lead
end

-- Score bounds of the locations whose base b = max(vk, since) lies in [lo, hi] (lo nil: no lower bound).
local function bounds(c, lo, hi)
  if (lo and lo > hi) or c.since > hi then return nil end
  if not lo or c.since >= lo then return '-inf', I(hi) end
  return I(lo), I(hi)
end
local function countIn(c, lo, hi)
  local a, b = bounds(c, lo, hi)
  if not a then return 0 end
  return redis.call('ZCOUNT', zkey(c.id, c.k), a, b)
end
local function membersIn(c, lo, hi)
  local a, b = bounds(c, lo, hi)
  if not a then return {} end
  return redis.call('ZRANGEBYSCORE', zkey(c.id, c.k), a, b, 'WITHSCORES')
end
-- The smallest base b >= x among the class's locations, or nil.
local function smallestFrom(c, x)
  local m
  if c.since >= x then
    m = redis.call('ZRANGE', zkey(c.id, c.k), 0, 0, 'WITHSCORES')
  else
    m = redis.call('ZRANGEBYSCORE', zkey(c.id, c.k), I(x), '+inf', 'LIMIT', 0, 1, 'WITHSCORES')
  end
  if #m == 0 then return nil end
  local v = tonumber(m[2])
  return v > c.since and v or c.since
end
-- How many of the class's locations are in a state at its settledAt.
local function classCount(c, state)
  if c.g == 0 then return 0 end
  local t = c.P
  if state == 'uncovered' then return countIn(c, nil, t - c.g - 1) end
  if c.lead == 0 then return 0 end
  return countIn(c, t - c.g, t - c.g + c.lead)
end
-- The earliest deadline (uncovered) or due instant (due_soon) among the class's locations in that state.
local function classEarliest(c, state)
  if classCount(c, state) == 0 then return nil end
  if state == 'uncovered' then
    local b = smallestFrom(c, -1)
    return b + c.g
  end
  local b = smallestFrom(c, c.P - c.g)
  return b + c.g - c.lead, b + c.g
end
-- Wakes the class (cov:due) at the next instant one of its locations changes state after settledAt.
local function schedule(c)
  local best
  if c.g > 0 then
    local t = c.P
    -- The first location not uncovered at t: it turns due soon (if it is not yet) or uncovered next.
    local b = smallestFrom(c, t - c.g)
    if b then
      if c.lead > 0 and b >= t - c.g + c.lead + 1 then
        best = b + c.g - c.lead
      else
        best = b + c.g + 1
        if c.lead > 0 then
          local b2 = smallestFrom(c, t - c.g + c.lead + 1)
          if b2 and b2 + c.g - c.lead < best then best = b2 + c.g - c.lead end
        end
      end
    end
  end
  if best then zadd(K_DUE, I(best), c.id) else zrem(K_DUE, c.id) end
end
-- After a requirement change: no location changes before since + gap - lead (every base is at
-- least since), so wake then; the tick settles the class at its first real transition.
local function scheduleEarliest(c)
  if c.g == 0 then zrem(K_DUE, c.id) return end
  local w = c.since + c.g + 1
  if c.lead > 0 then w = c.since + c.g - c.lead end
  zadd(K_DUE, I(w), c.id)
end

-- Township alerts: one uncovered and one due-soon alert per township, counted over its classes.
local TWC = {}
-- Through the read cache: prefetch(K_TW, townships) first reads them in one call.
local function townshipClasses(tw)
  local list = TWC[tw]
  if not list then
    list = {}
    for id in string.gmatch(hget(K_TW, tw) or '', '[^\t]+') do list[#list + 1] = id end
    TWC[tw] = list
  end
  return list
end
-- Counted once per script: callers count only after every class and visit of the script changed.
local TCOUNT = {}
local function townshipCount(tw, state)
  local memo = TCOUNT[tw .. '\t' .. state]
  if memo then return memo end
  local n = 0
  for _, id in ipairs(townshipClasses(tw)) do
    local c = readClass(id)
    if c then n = n + classCount(c, state) end
  end
  TCOUNT[tw .. '\t' .. state] = n
  return n
end
local function townshipActive(tw)
  for _, id in ipairs(townshipClasses(tw)) do
    local c = readClass(id)
    if c and c.g > 0 then return true end
  end
  return false
end
local function townshipEarliest(tw, state)
  local at, deadline
  for _, id in ipairs(townshipClasses(tw)) do
    local c = readClass(id)
    if c then
      local a, d = classEarliest(c, state)
      if a and (not at or a < at) then at, deadline = a, d or a end
    end
  end
  return at, deadline
end
local function raiseTownship(kind, tw, at, deadline)
  raise(kind, tw, { townshipId = tw, at = at, deadline = deadline }, kind == 'uncovered')
end
-- Resolves the township's alerts of kinds (default both) no location of it is in any more.
local BOTH = { 'uncovered', 'due_soon' }
local function settleTownship(tw, reason, note, kinds)
  for _, kind in ipairs(kinds or BOTH) do
    if hget(K_SUBJECT, kind .. ':' .. tw) and townshipCount(tw, kind) == 0 then
      local why = reason
      if type(reason) == 'function' then why = reason(kind) end
      resolveSubject(kind, tw, 'system', why, note)
    end
  end
end

local function newestFirst(a, b) return a > b end
-- "agency:time:team;…" → times, newest first.
local function visitTimes(last)
  local times = {}
  if last then
    for t in string.gmatch(last, '[^:;]+:(%d+):[^;]*') do times[#times + 1] = tonumber(t) end
    table.sort(times, newestFirst)
  end
  return times
end
