-- compact: moves the oldest entries of a team's track stream into its hourly history blocks,
-- once. The caller read the entries from the start of the stream up to last id, merged them
-- into the blocks of the hours they were taken in and encoded those; this script writes the
-- blocks and removes the entries only if nothing changed since that read (compare-and-set):
-- the stream still starts at the first id read and still holds the last, and every block is
-- still what the caller merged into. Of two processes compacting the same entries at once,
-- one writes and the other hears 'stale', so every position lands in a block exactly once.
--
-- KEYS[1]     team:track:<team>  stream  the team's recent positions
-- KEYS[2]     team:late:<team>   zset    stream ids of fixes uploaded late (the compacted ones go)
-- KEYS[3..]   team:hist:<team>:<hour>, one per block ARGV names, in the same order
--
-- ARGV[1]  first stream id read (the stream's first entry)
-- ARGV[2]  last stream id read: it and every entry before it are removed
-- ARGV[3]  m, the number of blocks; then 3 arguments per block:
--          sha1 of the block as read ('' when there was none), the new block (bytes),
--          its time to live, ms
-- ARGV[4 + 3m ..]  late stream ids among the entries removed (ZREM from KEYS[2])
--
-- Returns 'ok', or 'stale' (nothing written: read again).

local firstId, lastId = ARGV[1], ARGV[2]
local m = tonumber(ARGV[3])
local head = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
if not head or head[1] ~= firstId then return 'stale' end
if #redis.call('XRANGE', KEYS[1], lastId, lastId) == 0 then return 'stale' end
for i = 1, m do
  local current = redis.call('GET', KEYS[2 + i])
  local seen = current and redis.sha1hex(current) or ''
  if seen ~= ARGV[1 + 3 * i] then return 'stale' end
end
for i = 1, m do
  redis.call('SET', KEYS[2 + i], ARGV[2 + 3 * i], 'PX', ARGV[3 + 3 * i])
end
-- MINID removes the entries below the id after the last one read: exactly those read.
local ms, seq = string.match(lastId, '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. (tonumber(seq) + 1))
local late = {}
for i = 4 + 3 * m, #ARGV do late[#late + 1] = ARGV[i] end
for i = 1, #late, 1000 do
  redis.call('ZREM', KEYS[2], unpack(late, i, math.min(i + 999, #late)))
end
return 'ok'
