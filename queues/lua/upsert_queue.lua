-- A: { id, priority, strategy, requiredSkills (JSON text), ringTimeoutSeconds, acwPolicy, acwSeconds?,
--      headStartMs: { platinum, gold, silver, bronze } }
-- Calls already waiting keep the sort key they were given; only new arrivals and moves see changes.
local h = A.headStartMs
local before = redis.call('HMGET', K.queue(A.id), 'requiredSkills', 'eligibleIndexed')
redis.call('HSET', K.queue(A.id),
  'priority', A.priority,
  'strategy', A.strategy,
  'requiredSkills', A.requiredSkills,
  'ringTimeoutSeconds', A.ringTimeoutSeconds,
  'acwPolicy', A.acwPolicy,
  'acwSeconds', A.acwSeconds or '',
  'headStartMs:platinum', h.platinum,
  'headStartMs:gold', h.gold,
  'headStartMs:silver', h.silver,
  'headStartMs:bronze', h.bronze)
redis.call('SADD', K.queues, A.id)
-- The call path upserts a queue on every call; the eligible index is rebuilt only when it may be wrong.
if before[1] ~= A.requiredSkills or not before[2] then
  local required = cjson.decode(A.requiredSkills)
  redis.call('DEL', K.eligible(A.id))
  local flat = redis.call('ZRANGE', K.available, 0, -1, 'WITHSCORES')
  for i = 1, #flat, 2 do
    if qualifies(flat[i], required) then redis.call('ZADD', K.eligible(A.id), flat[i + 1], flat[i]) end
  end
  redis.call('HSET', K.queue(A.id), 'eligibleIndexed', 1)
end
return ok(true)
