-- Builds the classes for a plan and geography version: which class each location is in, each
-- class's sorted sets from the latest visits (read here, so no visit is missed), its township.
-- Classes start outside any key period; require.lua then gives them their requirement. Open
-- township alerts of townships that no longer exist, and alerts of the engine before classes
-- (one per location), are resolved. Skipped when the version is already built (another process).
--
-- KEYS[1..7]   the alerts prelude's alert keys
-- KEYS[8..13]  the classes include's: cov:class, cov:last, cov:loc, cov:due, cov:township, cov:meta
-- ARGV[1..4]   the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]      version: "<coverage version>:<geography version>"
-- ARGV[6]      k: the most distinct agencies any rule asks for (sorted sets kept per class)
-- ARGV[7]      n: locations in ARGV[8]
-- ARGV[8]      n × (location id, class id), tab-separated in one argument: a county of 50,000
--              locations as separate arguments overflows the client's call stack
-- ARGV[9]      m: classes in ARGV[10]
-- ARGV[10]     m × (class id, township id), tab-separated
-- Returns finish(status): 'same' (already built for this version and k) | 'ok'.
--- @include "../../alerts/lua/includes/prelude"
--- @include "includes/classes"

local version, K = ARGV[5], tonumber(ARGV[6])
if redis.call('GET', K_META) == version .. ':' .. K then return finish('same') end
local oldK = metaK()
for _, id in ipairs(redis.call('HKEYS', K_CLS)) do
  for k = 1, oldK do redis.call('UNLINK', zkey(id, k)) end
end
redis.call('DEL', K_CLS, K_LOC, K_DUE, K_TW)
local n, m = tonumber(ARGV[7]), tonumber(ARGV[9])
--- The fields of a tab-separated argument, in order.
local function fields(packed)
  local out = {}
  for f in string.gmatch(packed, '[^\t]+') do out[#out + 1] = f end
  return out
end
local pairsOfLocs, pairsOfClasses = fields(ARGV[8]), fields(ARGV[10])
if #pairsOfLocs ~= n * 2 or #pairsOfClasses ~= m * 2 then return redis.error_reply('rebuild: counts do not match the packed lists') end
local townships, locs = {}, {}
for j = 0, m - 1 do
  local cid, tw = pairsOfClasses[1 + j * 2], pairsOfClasses[2 + j * 2]
  push(DH, K_CLS, cid, '0,1,0,0,' .. NOWS .. ',' .. tw)
  townships[tw] = townships[tw] or {}
  local list = townships[tw]
  list[#list + 1] = cid
end
for tw, list in pairs(townships) do push(DH, K_TW, tw, table.concat(list, '\t')) end
for i = 0, n - 1 do
  locs[#locs + 1] = pairsOfLocs[1 + i * 2]
end
prefetch(K_LAST, locs)
for i = 0, n - 1 do
  local loc, cid = pairsOfLocs[1 + i * 2], pairsOfLocs[2 + i * 2]
  push(DH, K_LOC, loc, cid)
  local times = visitTimes(hget(K_LAST, loc))
  for k = 1, K do push(DZ, zkey(cid, k), I(times[k] or 0), loc) end
end
redis.call('SET', K_META, version .. ':' .. K)
for _, f in ipairs(redis.call('HKEYS', K_SUBJECT)) do
  local kind, subject = string.match(f, '^([a-z_]+):(.*)$')
  if (kind == 'uncovered' or kind == 'due_soon') and not townships[subject] then
    resolveSubject(kind, subject, 'system', 'requirement_changed')
  end
end
return finish('ok')
