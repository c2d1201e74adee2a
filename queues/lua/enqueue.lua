-- A: { interactionId, queueId, tier, enqueuedAtMs }
-- Idempotent: telephony webhooks are retried, so a known interaction is left exactly as it is.
local existing = redis.call('HGET', K.call(A.interactionId), 'state')
if existing then return ok({ created = false, state = existing }) end
local head_start = tonumber(redis.call('HGET', K.queue(A.queueId), 'headStartMs:' .. A.tier))
if not head_start then return not_found('CallQueue', A.queueId) end
local sort_key = create_call(A.interactionId, A.queueId, A.tier, A.enqueuedAtMs, head_start)
redis.call('ZADD', K.waiting(A.queueId), sort_key, A.interactionId)
return ok({ created = true, state = 'queued' })
