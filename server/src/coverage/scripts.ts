/**
 * The coverage engine's Redis scripts. Locations that every key period and rule treat alike
 * form a class (same township, category, effective priority and scoped periods); what a class
 * needs is one entry of `cov:class`, and each class keeps its locations in a sorted set scored
 * by their k-th latest distinct-agency visit. A location's deadline is max(score, since) + gap,
 * so "which locations of the class turned uncovered between two instants" is one score range,
 * and neither a period starting (a few hundred class entries) nor a tick that finds thousands
 * overdue writes anything per location. Uncovered and due-soon alerts are one per township.
 *
 * A class's `settledAt` is the instant its locations' states were last announced: states are
 * computed at it, so a visit and a tick running in any order, in any process, agree.
 * The state formula mirrors geo's nextDeadline (tests compare the two).
 */
import { luaScript } from '../alerts/lua.ts';

const CLASSES = `
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
local function zkey(id, k) return K_ZP .. id .. ':' .. k end
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
`;

/**
 * Visits (check-ins of any kind) move deadlines. Idempotent: a visit only ever moves its
 * agency's latest time forward, so replaying check-ins (reconciliation, retries) is harmless.
 * A visit only ever improves a state, so it raises nothing; it resolves its township's alert
 * when it was the last location in that state.
 * ARGV: n, then n × (location id, agency, time, team id).
 */
export const RECORD_VISITS = luaScript(`${CLASSES}
local n = tonumber(ARGV[4])
local K = metaK()
local touched, wakes = {}, {}
-- Every location's visits and class, and those classes, in three calls for the whole batch.
local locs = {}
for i = 0, n - 1 do locs[#locs + 1] = ARGV[5 + i * 4] end
prefetch(K_LAST, locs)
prefetch(K_LOC, locs)
local ids = {}
for _, loc in ipairs(locs) do ids[#ids + 1] = hget(K_LOC, loc) end
prefetch(K_CLS, ids)
for i = 0, n - 1 do
  local o = 5 + i * 4
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
      if c and c.g > 0 then
        local was = stateOf(c, before[c.k] or 0, c.P)
        local state, d, due = stateOf(c, after[c.k] or 0, c.P)
        if state ~= was then
          CH[#CH + 1] = loc .. '=' .. state .. ',' .. I(d) .. ',' .. I(due)
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
`);

/**
 * A scheduler tick: every class due (cov:due) moves from its settledAt to now. The locations
 * whose base lies in the window that passed are announced (uncovered, due soon); a township
 * gets its alert when a location of it newly enters the state and none is open. Safe in every
 * process at once: a class settled by one is no longer due for the other.
 * ARGV: the most classes to settle → 'ok' | 'more'.
 */
export const ADVANCE = luaScript(`${CLASSES}
local limit = tonumber(ARGV[4])
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
    if #U > 0 then CH[#CH + 1] = '#uncovered' .. shape .. table.concat(U, '\t') end
    if #D > 0 then CH[#CH + 1] = '#due_soon' .. shape .. table.concat(D, '\t') end
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
`);

/**
 * A recompute: the classes whose requirement changed (a period started or ended, the plan
 * changed) take the new one, settled at now. Maps reload (one '*=reload' change); each
 * township concerned raises or resolves its alerts from its counts.
 * ARGV: the classes' build (cov:meta; another process may have rebuilt them: 'stale', nothing
 * written), every township too ('1' after a rebuild), n, then n × (class id,
 * "gapMs,k,since,leadMs", township id): the engine sends only the classes whose stored
 * requirement differs.
 */
export const REQUIRE = luaScript(`${CLASSES}
if redis.call('GET', K_META) ~= ARGV[4] then return finish('stale') end
local all = ARGV[5] == '1'
local n = tonumber(ARGV[6])
local touched, values = {}, {}
for i = 0, n - 1 do
  local o = 7 + i * 3
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
if n > 0 or all then CH[#CH + 1] = '*=reload' end
return finish('ok')
`);

/**
 * Builds the classes for a plan and geography version: which class each location is in, each
 * class's sorted sets from the latest visits (read here, so no visit is missed), its township.
 * Classes start outside any key period; REQUIRE then gives them their requirement. Open
 * township alerts of townships that no longer exist, and alerts of the engine before classes
 * (one per location), are resolved. Skipped when the version is already built (another process).
 * ARGV: version, k, n, n × (location id, class id), m, m × (class id, township id).
 */
export const REBUILD = luaScript(`${CLASSES}
local version, K = ARGV[4], tonumber(ARGV[5])
if redis.call('GET', K_META) == version .. ':' .. K then return finish('same') end
local oldK = metaK()
for _, id in ipairs(redis.call('HKEYS', K_CLS)) do
  for k = 1, oldK do redis.call('UNLINK', zkey(id, k)) end
end
redis.call('DEL', K_CLS, K_LOC, K_DUE, K_TW)
local n = tonumber(ARGV[6])
local o = 7 + n * 2
local m = tonumber(ARGV[o])
local townships, members, locs = {}, {}, {}
for j = 0, m - 1 do
  local cid, tw = ARGV[o + 1 + j * 2], ARGV[o + 2 + j * 2]
  push(DH, K_CLS, cid, '0,1,0,0,' .. NOWS .. ',' .. tw)
  townships[tw] = townships[tw] or {}
  local list = townships[tw]
  list[#list + 1] = cid
end
for tw, list in pairs(townships) do push(DH, K_TW, tw, table.concat(list, '\\t')) end
for i = 0, n - 1 do
  locs[#locs + 1] = ARGV[7 + i * 2]
end
prefetch(K_LAST, locs)
for i = 0, n - 1 do
  local loc, cid = ARGV[7 + i * 2], ARGV[8 + i * 2]
  push(DH, K_LOC, loc, cid)
  local times = visitTimes(hget(K_LAST, loc))
  for k = 1, K do push(DH, zkey(cid, k), I(times[k] or 0), loc) end
end
-- DH holds HSET pairs; the sorted sets take "score member" pairs the same way.
for key, list in pairs(DH) do
  if string.sub(key, 1, #K_ZP) == K_ZP then
    DZ[key] = list
    DH[key] = nil
  end
end
redis.call('SET', K_META, version .. ':' .. K)
for _, f in ipairs(redis.call('HKEYS', K_SUBJECT)) do
  local kind, subject = string.match(f, '^([a-z_]+):(.*)$')
  if (kind == 'uncovered' or kind == 'due_soon') and not townships[subject] then
    resolveSubject(kind, subject, 'system', 'requirement_changed')
  end
end
return finish('ok')
`);
