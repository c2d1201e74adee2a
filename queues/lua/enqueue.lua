-- A: { interactionId, queueId, tier, enqueuedAtMs }
-- Idempotent: telephony webhooks are retried, so a known interaction is left exactly as it is.
local existing = redis.call('HGET', K.call(A.interactionId), 'state')
if existing then return ok({ created = false, state = existing }) end
local head_start = tonumber(redis.call('HGET', K.queue(A.queueId), 'headStartMs:' .. A.tier))
if not head_start then return not_found('CallQueue', A.queueId) end
local sort_key = A.enqueuedAtMs - head_start
redis.call('HSET', K.call(A.interactionId),
  'state', 'queued',
  'queueId', A.queueId,
  'tier', A.tier,
  'enqueuedAtMs', A.enqueuedAtMs,
  'headStartMs', head_start,
  'raisedSeconds', 0,
  'sortKey', sort_key)
redis.call('SADD', K.live, A.interactionId)
redis.call('ZADD', K.waiting(A.queueId), sort_key, A.interactionId)
return ok({ created = true, state = 'queued' })
