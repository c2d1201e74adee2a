-- A: { interactionId, queueId }. The call keeps its enqueue time and raised seconds; its head start
-- becomes the new queue's.
local iid = A.interactionId
local call = hgetall(K.call(iid))
if not call then return not_found('Call', iid) end
if not step('call', call.state, 'move') then return illegal('call', call.state, 'move', iid) end
local head_start = tonumber(redis.call('HGET', K.queue(A.queueId), 'headStartMs:' .. call.tier))
if not head_start then return not_found('CallQueue', A.queueId) end
local sort_key = tonumber(call.enqueuedAtMs) - head_start - tonumber(call.raisedSeconds) * 1000
redis.call('ZREM', K.waiting(call.queueId), iid)
redis.call('ZADD', K.waiting(A.queueId), sort_key, iid)
redis.call('HSET', K.call(iid), 'queueId', A.queueId, 'headStartMs', head_start, 'sortKey', sort_key)
return ok(true)
