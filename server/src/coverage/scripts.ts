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
local REQC = {}
local function deadlineOf(req, last)
  -- Thousands of locations share a few requirement strings: parse each once.
  local r = REQC[req]
  if not r then
    local pg, pk, ps, pl = string.match(req, '^(%d+),(%d+),(%-?%d+),(%d+)$')
    r = { tonumber(pg), tonumber(pk), tonumber(ps), tonumber(pl) }
    REQC[req] = r
  end
  local g, k, since, lead = r[1], r[2], r[3], r[4]
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
  local oldState = old and string.sub(old, 1, string.find(old, ',', 1, true) - 1) or 'inactive'
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
      raiseLocation('uncovered', loc, d, d, true)
    elseif state == 'due_soon' then
      raiseLocation('due_soon', loc, due, d, false)
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
 * The mass paths (a recompute, a tick) compute in JS and commit here: for each location, only
 * if its state and requirement are still what the engine read (compare-and-set), write the new
 * requirement, state and next transition, resolve the alert it leaves and raise the one it
 * enters. A location that changed in between (a visit, another process) is skipped.
 * ARGV: n, then n × (location id, expected state, expected requirement, new requirement, new
 * state, next transition, "kind:reason" of the alert to resolve, kind of the alert to raise,
 * that alert's JSON after its id) — '' for none.
 * Payload: "<id of the first alert raised>|<skipped location ids, tab-separated>": the engine
 * knows everything else it sent, so only resolved alerts come back.
 */
export const COMMIT = luaScript(`
local n = tonumber(ARGV[4])
-- Current state and requirement of each location, aligned with the arguments (no lookup tables).
local states, reqs = {}, {}
for i = 1, n, 2000 do
  local j = math.min(i + 1999, n)
  local locs = {}
  for k = i, j do locs[#locs + 1] = ARGV[5 + (k - 1) * 9] end
  local st = redis.call('HMGET', K_STATE, unpack(locs))
  local rq = redis.call('HMGET', K_REQ, unpack(locs))
  for k = i, j do
    states[k] = st[k - i + 1] or ''
    reqs[k] = rq[k - i + 1] or ''
  end
end
local reqSet, reqDel, stateSet, stateDel, nextAdd, nextRem = {}, {}, {}, {}, {}, {}
local skipped = {}
local first = tonumber(redis.call('GET', K_SEQ) or '0') + 1
for i = 1, n do
  local o = 5 + (i - 1) * 9
  local loc, cur, curReq = ARGV[o], states[i], reqs[i]
  if cur ~= ARGV[o + 1] or curReq ~= ARGV[o + 2] then
    skipped[#skipped + 1] = loc
  else
    local req, value, nxt, leave, rk = ARGV[o + 3], ARGV[o + 4], ARGV[o + 5], ARGV[o + 6], ARGV[o + 7]
    if req ~= curReq then
      if req == '' then reqDel[#reqDel + 1] = loc else reqSet[#reqSet + 1] = loc; reqSet[#reqSet + 1] = req end
    end
    if value ~= cur then
      if value == '' then stateDel[#stateDel + 1] = loc else stateSet[#stateSet + 1] = loc; stateSet[#stateSet + 1] = value end
    end
    if nxt == '' then nextRem[#nextRem + 1] = loc else nextAdd[#nextAdd + 1] = nxt; nextAdd[#nextAdd + 1] = loc end
    if leave ~= '' then
      local c = string.find(leave, ':', 1, true)
      resolveSubject(string.sub(leave, 1, c - 1), loc, 'system', string.sub(leave, c + 1))
    end
    if rk ~= '' then raiseBody(rk, loc, ARGV[o + 8], rk == 'uncovered') end
  end
end
if #reqSet > 0 then bulk('HSET', K_REQ, reqSet) end
if #reqDel > 0 then bulk('HDEL', K_REQ, reqDel) end
if #stateSet > 0 then bulk('HSET', K_STATE, stateSet) end
if #stateDel > 0 then bulk('HDEL', K_STATE, stateDel) end
if #nextAdd > 0 then bulk('ZADD', K_NEXT, nextAdd) end
if #nextRem > 0 then bulk('ZREM', K_NEXT, nextRem) end
return finish('ok', I(first) .. '|' .. table.concat(skipped, '\\t'))
`);
