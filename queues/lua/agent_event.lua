-- A: { agentId, event, reason? }. Only the events an agent raises directly (acd-agents.ts checks).
local status = redis.call('HGET', K.agent(A.agentId), 'status')
if not status then return not_found('Agent', A.agentId) end
local row = step('agent', status, A.event, agent_guards(A.agentId))
if not row then return illegal('agent', status, A.event, A.agentId) end
local reason = row.reason or (row.to == 'break' and A.reason) or ''
move_agent(A.agentId, status, row, reason)
return ok(row.to)
