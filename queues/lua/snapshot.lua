-- A: { queueId? }. One consistent view: waiting calls in order, agents (those qualified for the queue
-- when one is given) and pending reservations.
local queue_ids
local required = {}
if A.queueId then
  local q = load_queue(A.queueId)
  if not q then return not_found('CallQueue', A.queueId) end
  queue_ids = { A.queueId }
  required = q.skills
else
  queue_ids = redis.call('SMEMBERS', K.queues)
end

local waiting = {}
for _, queue_id in ipairs(queue_ids) do
  for position, iid in ipairs(redis.call('ZRANGE', K.waiting(queue_id), 0, -1)) do
    local c = redis.call('HMGET', K.call(iid), 'tier', 'enqueuedAtMs', 'headStartMs', 'raisedSeconds')
    waiting[#waiting + 1] = {
      interactionId = iid, queueId = queue_id, position = position,
      tier = c[1], enqueuedAtMs = c[2], headStartMs = c[3], raisedSeconds = c[4],
    }
  end
end

local agents = {}
for _, aid in ipairs(redis.call('SMEMBERS', K.agents)) do
  if qualifies(aid, required) then
    local a = redis.call('HMGET', K.agent(aid), 'status', 'reason', 'statusSinceMs', 'nextReason')
    agents[#agents + 1] = { agentId = aid, status = a[1], reason = a[2], statusSinceMs = a[3], nextReason = a[4] }
  end
end

local reservations = {}
for _, rid in ipairs(redis.call('ZRANGE', K.pending, 0, -1)) do
  local res = hgetall(K.reservation(rid))
  if not A.queueId or res.queueId == A.queueId then reservations[#reservations + 1] = res end
end

return ok({ waiting = waiting, agents = agents, reservations = reservations })
