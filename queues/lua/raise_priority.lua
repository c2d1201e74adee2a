-- A: { interactionId, seconds }
local iid = A.interactionId
local call = hgetall(K.call(iid))
if not call then return not_found('Call', iid) end
if not step('call', call.state, 'raise_priority') then
  return illegal('call', call.state, 'raise_priority', iid)
end
local sort_key = tonumber(call.sortKey) - A.seconds * 1000
redis.call('HSET', K.call(iid), 'raisedSeconds', tonumber(call.raisedSeconds) + A.seconds, 'sortKey', sort_key)
redis.call('ZADD', K.waiting(call.queueId), sort_key, iid)
return ok(true)
