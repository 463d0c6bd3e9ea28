-- xaddAt(stream, ms, minId, field, value, ...) → stream id, the millisecond used.
-- Stream ids follow the app's clock (not Redis's), so retention, late uploads and track windows
-- all read one clock, and tests can drive it. An id never goes below the stream's top (another
-- process's clock a little ahead): then it takes the top's millisecond and the next sequence.
-- The common case costs one XADD; only a refused id pays for reading the top.
local function xaddAt(stream, ms, minId, ...)
  local id = redis.pcall('XADD', stream, 'MINID', '~', minId, string.format('%d-*', ms), ...)
  if type(id) == 'table' and id.err then
    local top = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
    ms = tonumber(string.match(top[1], '^(%d+)'))
    id = redis.call('XADD', stream, 'MINID', '~', minId, string.format('%d-*', ms), ...)
  end
  return id, ms
end
