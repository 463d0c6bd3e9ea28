-- tally(spec): adds the figures of the assessment report (reports/tally.ts builds `spec`) to the
-- county day's hash and its month's, in the script that records the fact: a fact written once is
-- counted once, whichever process wrote it, and a retry that writes nothing counts nothing.
-- spec: lines `day<TAB>subject<TAB>figure<TAB>op<TAB>value`, op '+' (HINCRBY), 'max' (keep the
-- largest) or 'list' (append to a comma-separated list of numbers). Key names come from the keys
-- include, so the script's ARGV[1] must be the key prefix.
--- @include "keys"
local function tallyOne(hash, field, op, value)
  if op == '+' then
    redis.call('HINCRBY', hash, field, value)
  elseif op == 'max' then
    local cur = tonumber(redis.call('HGET', hash, field) or '')
    if not cur or tonumber(value) > cur then redis.call('HSET', hash, field, value) end
  else
    local cur = redis.call('HGET', hash, field)
    redis.call('HSET', hash, field, cur and (cur .. ',' .. value) or value)
  end
end

-- One figure of a subject on a county day ('YYYY-MM-DD'), in the day's hash and its month's.
local function tallyAdd(day, subject, figure, op, value)
  local field = subject .. '|' .. figure
  tallyOne(key.reportDay(day), field, op, value)
  tallyOne(key.reportMonth(string.sub(day, 1, 7)), field, op, value)
end

local function tally(spec)
  if not spec or spec == '' then return end
  for line in string.gmatch(spec, '[^\n]+') do
    local day, subject, figure, op, value = string.match(line, '^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$')
    if day then tallyAdd(day, subject, figure, op, value) end
  end
end
