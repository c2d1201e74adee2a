-- A: { interactionId }. Either side hung up a connected call.
local iid = A.interactionId
local call = hgetall(K.call(iid))
if not call then return not_found('Call', iid) end
local row = step('call', call.state, 'hang_up')
if not row then return illegal('call', call.state, 'hang_up', iid) end
local aid = call.agentId
local status = redis.call('HGET', K.agent(aid), 'status')
local q = redis.call('HMGET', K.queue(call.queueId), 'acwPolicy', 'acwSeconds')
local policy = q[1] or 'none'
local agent_row = step('agent', status, 'hang_up', agent_guards(aid, { wrapUp = policy ~= 'none' }))
if not agent_row then return illegal('agent', status, 'hang_up', aid) end

redis.call('SREM', K.connected, iid)
finish_call(iid, row.to)
-- Talk time counts on the UTC day the call ends: occupancy only has to compare agents at one moment,
-- and one shared boundary keeps it comparable.
redis.call('HSET', K.agent(aid), 'talkMs', talk_ms_today(aid) + NOW - tonumber(call.connectedAtMs), 'talkDay', TODAY)
redis.call('HDEL', K.agent(aid), 'interactionId')
move_agent(aid, status, agent_row, '')
if agent_row.to == 'wrap_up' and policy == 'timed' then
  redis.call('ZADD', K.wrapUpDeadlines, NOW + tonumber(q[2]) * 1000, aid)
end
return ok({ agentId = aid, agentStatus = agent_row.to })
