-- A: { id, priority, strategy, requiredSkills (JSON text), ringTimeoutSeconds, acwPolicy, acwSeconds?,
--      headStartMs: { platinum, gold, silver, bronze } }
-- Calls already waiting keep the sort key they were given; only new arrivals and moves see changes.
local h = A.headStartMs
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
return ok(true)
