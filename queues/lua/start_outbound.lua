-- A: { interactionId, queueId, tier, agentId }
-- A call an agent places: it never waits or rings in the ACD, so it starts connected to them. The
-- queue only sets its after-call work. Nothing is written unless the agent may dial now.
local iid, aid = A.interactionId, A.agentId
local existing = redis.call('HGET', K.call(iid), 'state')
if existing then return illegal('call', existing, 'dial_out', iid) end
if redis.call('EXISTS', K.queue(A.queueId)) == 0 then return not_found('CallQueue', A.queueId) end
local status = redis.call('HGET', K.agent(aid), 'status')
if not status then return not_found('Agent', aid) end
local row = step('agent', status, 'dial_out')
if not row then return illegal('agent', status, 'dial_out', aid) end

redis.call('HSET', K.call(iid),
  'state', 'connected',
  'queueId', A.queueId,
  'tier', A.tier,
  'enqueuedAtMs', NOW,
  'headStartMs', 0,
  'raisedSeconds', 0,
  'sortKey', NOW,
  'agentId', aid,
  'connectedAtMs', NOW)
redis.call('SADD', K.live, iid)
redis.call('SADD', K.connected, iid)
move_agent(aid, status, row, '')
redis.call('HSET', K.agent(aid), 'interactionId', iid)
return ok(true)
