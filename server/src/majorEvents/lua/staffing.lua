-- staffing: records what one look at a major event's posts found, writing only changes, so two
-- processes looking at once note each change on the timeline once. Per post: its state and
-- count (a change goes on the timeline). Per assigned team: present or not; the first time
-- present is its arrival; absent after an arrival starts its away clock (kept from the first
-- look that saw it gone); present again stops it.
--
-- KEYS[1] ev:state:<eventId>  hash    `post:<postId>` → "state\tcount\tteams"; `arr:<postId>:<teamId>`
--                                     → first arrival; `away:<postId>:<teamId>` → since when away
-- KEYS[2] ev:log:<eventId>    stream  the event's timeline
--
-- ARGV[1] now, ms
-- ARGV[2] number of posts P, then P × (post id, state, count, teams comma-separated)
-- then    number of teams N, then N × (post id, team id, '1' present | '0' absent)
--
-- Returns a flat list: 'post', post id, state, count (each change); 'away', post id, team id,
-- since (each assigned team away after arriving); 'back', post id, team id (each return noted now).
--- @include "xaddAt"

local now = tonumber(ARGV[1])
local out = {}
local i = 2
local posts = tonumber(ARGV[i])
i = i + 1
for _ = 1, posts do
  local post, state, count, teams = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  local value = state .. '\t' .. count .. '\t' .. teams
  if redis.call('HGET', KEYS[1], 'post:' .. post) ~= value then
    redis.call('HSET', KEYS[1], 'post:' .. post, value)
    xaddAt(KEYS[2], now, '0', 'k', 'staffing', 'p', post, 's', state, 'c', count, 'tm', teams, 't', ARGV[1])
    out[#out + 1] = 'post'; out[#out + 1] = post; out[#out + 1] = state; out[#out + 1] = count
  end
end
local teams = tonumber(ARGV[i])
i = i + 1
for _ = 1, teams do
  local post, team, present = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  i = i + 3
  local arr = 'arr:' .. post .. ':' .. team
  local away = 'away:' .. post .. ':' .. team
  if present == '1' then
    if redis.call('HSETNX', KEYS[1], arr, ARGV[1]) == 1 then
      xaddAt(KEYS[2], now, '0', 'k', 'arrived', 'p', post, 'tm', team, 't', ARGV[1])
    end
    if redis.call('HDEL', KEYS[1], away) == 1 then
      xaddAt(KEYS[2], now, '0', 'k', 'back', 'p', post, 'tm', team, 't', ARGV[1])
      out[#out + 1] = 'back'; out[#out + 1] = post; out[#out + 1] = team
    end
  elseif redis.call('HEXISTS', KEYS[1], arr) == 1 then
    if redis.call('HSETNX', KEYS[1], away, ARGV[1]) == 1 then
      xaddAt(KEYS[2], now, '0', 'k', 'left', 'p', post, 'tm', team, 't', ARGV[1])
    end
    out[#out + 1] = 'away'; out[#out + 1] = post; out[#out + 1] = team
    out[#out + 1] = redis.call('HGET', KEYS[1], away)
  end
end
return out
