-- A: { interactionId }. Nothing when the call is not waiting.
local queue_id = redis.call('HGET', K.call(A.interactionId), 'queueId')
if not queue_id then return ok(nil) end
local rank = redis.call('ZRANK', K.waiting(queue_id), A.interactionId)
if not rank then return ok(nil) end
return ok({ queueId = queue_id, position = rank + 1, count = redis.call('ZCARD', K.waiting(queue_id)) })
