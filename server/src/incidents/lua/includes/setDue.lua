-- setDue(dueKey, id, due): files the incident under the deadline of its next step in the
-- inc:due sorted set, or takes it out when it has none (due '').
local function setDue(dueKey, id, due)
  if due == '' then redis.call('ZREM', dueKey, id) else redis.call('ZADD', dueKey, due, id) end
end
