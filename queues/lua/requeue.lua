-- A: { interactionId }. The agent's phone failed a call they accepted before talk began: the call goes
-- back to its own place (the original sort key), the agent to a missed-call break.
local iid = A.interactionId
local call = hgetall(K.call(iid))
if not call then return not_found('Call', iid) end
local row = step('call', call.state, 'agent_leg_failed')
if not row then return illegal('call', call.state, 'agent_leg_failed', iid) end
local aid = call.agentId
local status = redis.call('HGET', K.agent(aid), 'status')
local agent_row = status and step('agent', status, 'agent_leg_failed')
local holds = redis.call('HGET', K.agent(aid), 'interactionId') == iid
if holds and not agent_row then return illegal('agent', status, 'agent_leg_failed', aid) end

redis.call('SREM', K.connected, iid)
redis.call('HSET', K.call(iid), 'state', row.to)
redis.call('HDEL', K.call(iid), 'reservationId', 'agentId', 'connectedAtMs')
redis.call('ZADD', K.waiting(call.queueId), call.sortKey, iid)
-- An agent already moved on (signed out, or another call) keeps where they are.
if holds then
  redis.call('HDEL', K.agent(aid), 'interactionId')
  move_agent(aid, status, agent_row, agent_row.reason)
end
return ok({ agentId = aid })
