-- A: { id, priority, strategy, requiredSkills (JSON text), ringTimeoutSeconds, acwPolicy, acwSeconds?,
--      headStartMs: { platinum, gold, silver, bronze } }
-- Calls already waiting keep the sort key they were given; only new arrivals and moves see changes.
local h = A.headStartMs
local before = redis.call('HMGET', K.queue(A.id), 'requiredSkills', 'rankedBy')
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
-- The call path upserts a queue on every call; its indexes are rebuilt only when they may be wrong: new
-- skills change who is eligible, a new strategy changes the ranking.
if before[1] ~= A.requiredSkills or before[2] ~= A.strategy then
  local required = cjson.decode(A.requiredSkills)
  redis.call('DEL', K.eligible(A.id), K.ranked(A.id))
  local flat = redis.call('ZRANGE', K.available, 0, -1, 'WITHSCORES')
  for i = 1, #flat, 2 do
    local proficiency = qualifies(flat[i], required)
    if proficiency then index_eligible(A.id, A.strategy, flat[i], flat[i + 1], proficiency) end
  end
  redis.call('HSET', K.queue(A.id), 'rankedBy', A.strategy)
end
return ok(true)
