-- A: { interactionId, queueId, tier, enqueuedAtMs, agentId, reason }
-- A call for one named agent (a transfer to them): it joins the ACD already ringing that agent, who
-- must be available now. Declined or rung out, it waits in `queueId` like any other call, at the place
-- `enqueuedAtMs` gives it. Nothing is written unless both sides can move.
local iid, aid = A.interactionId, A.agentId
local existing = redis.call('HGET', K.call(iid), 'state')
if existing then return illegal('call', existing, 'reserve', iid) end
local q = redis.call('HMGET', K.queue(A.queueId), 'headStartMs:' .. A.tier, 'ringTimeoutSeconds')
local head_start = tonumber(q[1])
if not head_start then return not_found('CallQueue', A.queueId) end
local agent_status = redis.call('HGET', K.agent(aid), 'status')
if not agent_status then return not_found('Agent', aid) end
if not step('agent', agent_status, 'reserve') then return illegal('agent', agent_status, 'reserve', aid) end

create_call(iid, A.queueId, A.tier, A.enqueuedAtMs, head_start)
return ok(create_reservation(iid, aid, A.queueId, q[2], A.reason))
