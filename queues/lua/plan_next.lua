-- A: { agentId, reason }: the break reason the agent takes when their call or wrap-up ends; '' clears
-- the plan. The status does not change, so neither does statusSinceMs.
local status = redis.call('HGET', K.agent(A.agentId), 'status')
if not status then return not_found('Agent', A.agentId) end
if not step('agent', status, 'plan_next') then return illegal('agent', status, 'plan_next', A.agentId) end
if A.reason == '' then
  redis.call('HDEL', K.agent(A.agentId), 'nextReason')
else
  redis.call('HSET', K.agent(A.agentId), 'nextReason', A.reason)
end
return ok(true)
