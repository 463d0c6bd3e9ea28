/**
 * The coverage engine's Redis scripts. Deadlines are derived inside Redis from two inputs, the
 * requirement (`cov:req`, written by a recompute) and the latest visits (`cov:last`, written by
 * visits), so a visit and a recompute racing from two processes can never leave a stale
 * deadline: whichever runs second sees both. The deadline formula mirrors geo's nextDeadline
 * (tests compare the two).
 */
import { luaScript } from '../alerts/lua.ts';

const SETTLE = `
-- req "gapMs,minAgencies,since,leadMs"; last "agency:time:team;…" → deadline, dueAt, lead
local function deadlineOf(req, last)
  local g, k, since, lead = string.match(req, '^(%d+),(%d+),(%-?%d+),(%d+)$')
  g, k, since, lead = tonumber(g), tonumber(k), tonumber(since), tonumber(lead)
  local times = {}
  if last then
    for t in string.gmatch(last, '[^:;]+:(%d+):[^;]*') do times[#times + 1] = tonumber(t) end
  end
  local base = since
  if #times >= k then
    table.sort(times, function(a, b) return a > b end)
    if times[k] > base then base = times[k] end
  end
  local d = base + g
  return d, d - lead, lead
end

-- Brings a location's state in line with its requirement, visits and the clock: writes the
-- state and its next transition, raises and resolves its coverage alerts, records the change.
-- cause: 'visit' | 'plan' | 'time'; who: the visiting team, for the record.
local function settle(loc, req, last, cause, who)
  local old = hget(K_STATE, loc)
  local oldState = old and string.match(old, '^[^,]+') or 'inactive'
  local value, state, d, due, lead = nil, 'inactive', 0, 0, 0
  if req then
    d, due, lead = deadlineOf(req, last)
    -- In time up to and including the deadline: a visit exactly at it still counts.
    if now > d then state = 'uncovered' elseif lead > 0 and now >= due then state = 'due_soon' else state = 'covered' end
    value = state .. ',' .. I(d) .. ',' .. I(due)
  end
  if state == 'covered' then zadd(K_NEXT, lead > 0 and due or d + 1, loc)
  elseif state == 'due_soon' then zadd(K_NEXT, d + 1, loc)
  else zrem(K_NEXT, loc) end
  if value == old then return end
  if value then hset(K_STATE, loc, value) else hdel(K_STATE, loc) end
  if state ~= oldState then
    if oldState == 'due_soon' or oldState == 'uncovered' then
      local reason = (state == 'uncovered' and 'superseded') or (state == 'inactive' and 'not_required') or (cause == 'visit' and 'visited') or 'requirement_changed'
      resolveSubject(oldState, loc, 'system', reason, who)
    end
    if state == 'uncovered' then
      raise('uncovered', loc, { locationId = loc, at = d, deadline = d }, true)
    elseif state == 'due_soon' then
      raise('due_soon', loc, { locationId = loc, at = due, deadline = d }, false)
    end
  end
  CH[#CH + 1] = loc .. '=' .. (value or 'inactive')
end
`;

/**
 * Visits (check-ins of any kind) move deadlines. Idempotent: a visit only ever moves its
 * agency's latest time forward, so replaying check-ins (reconciliation, retries) is harmless.
 * ARGV: n, then n × (location id, agency, time, team id).
 */
export const RECORD_VISITS = luaScript(`${SETTLE}
local n = tonumber(ARGV[4])
for i = 0, n - 1 do
  local o = 5 + i * 4
  local loc, agency, t, team = ARGV[o], ARGV[o + 1], tonumber(ARGV[o + 2]), ARGV[o + 3]
  if t > now then t = now end
  local last = hget(K_LAST, loc)
  local entries, found, changed = {}, false, false
  if last then
    for ag, tt, tm in string.gmatch(last, '([^:;]+):(%d+):([^;]*)') do
      if ag == agency then
        found = true
        if t > tonumber(tt) then tt, tm, changed = I(t), team, true end
      end
      entries[#entries + 1] = ag .. ':' .. tt .. ':' .. tm
    end
  end
  if not found then
    entries[#entries + 1] = agency .. ':' .. I(t) .. ':' .. team
    changed = true
  end
  if changed then
    table.sort(entries)
    last = table.concat(entries, ';')
    hset(K_LAST, loc, last)
    local req = hget(K_REQ, loc)
    if req then settle(loc, req, last, 'visit', team) end
  end
end
return finish('ok')
`);

/**
 * A recompute's result: every location's requirement now. Only locations whose requirement
 * changed are settled; locations missing from the list no longer need coverage. A requirement
 * ending in ",1" held since before the planner's look-back: if the stored one has the same gap
 * and agencies, its (earlier, known) since is kept, so a long-running requirement keeps its
 * start however often it is recomputed.
 * ARGV: n, then n × (location id, requirement "gapMs,minAgencies,since,leadMs[,1]").
 */
export const APPLY_PLAN = luaScript(`${SETTLE}
local n = tonumber(ARGV[4])
local flat = redis.call('HGETALL', K_REQ)
local old = {}
for i = 1, #flat, 2 do old[flat[i]] = flat[i + 1] end
local changed, wanted = {}, {}
for i = 0, n - 1 do
  local loc, req = ARGV[5 + i * 2], ARGV[6 + i * 2]
  local g, k, since, lead, open = string.match(req, '^(%d+),(%d+),(%-?%d+),(%d+)(,?1?)$')
  if open == ',1' then
    local o = old[loc]
    if o then
      local og, ok, os = string.match(o, '^(%d+),(%d+),(%-?%d+),')
      if og == g and ok == k then since = os end
    end
    req = g .. ',' .. k .. ',' .. since .. ',' .. lead
  end
  wanted[loc] = req
  if old[loc] ~= req then changed[#changed + 1] = loc end
end
local gone = {}
for loc in pairs(old) do if not wanted[loc] then gone[#gone + 1] = loc end end
table.sort(gone)
for _, loc in ipairs(gone) do changed[#changed + 1] = loc end
if #changed > 0 then
  prefetch(K_LAST, changed)
  prefetch(K_STATE, changed)
  for _, loc in ipairs(changed) do
    local req = wanted[loc]
    if req then hset(K_REQ, loc, req) else hdel(K_REQ, loc) end
    settle(loc, req, hget(K_LAST, loc), 'plan', nil)
  end
end
return finish('ok', I(#changed))
`);

/**
 * The scheduler's step: every location whose next transition is due moves on (covered → due
 * soon → uncovered, straight to uncovered when both passed while no process ran).
 * ARGV: limit → 'more' when the limit was reached.
 */
export const ADVANCE = luaScript(`${SETTLE}
local limit = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', K_NEXT, '-inf', I(now), 'LIMIT', 0, limit)
if #due > 0 then
  prefetch(K_REQ, due)
  prefetch(K_LAST, due)
  prefetch(K_STATE, due)
  for _, loc in ipairs(due) do settle(loc, hget(K_REQ, loc), hget(K_LAST, loc), 'time', nil) end
end
return finish(#due == limit and 'more' or 'ok', I(#due))
`);
