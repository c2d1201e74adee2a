-- Ends every timed after-call work whose deadline is at or before now.
local done = {}
for _, aid in ipairs(redis.call('ZRANGEBYSCORE', K.wrapUpDeadlines, '-inf', NOW)) do
  local status = redis.call('HGET', K.agent(aid), 'status')
  local row = step('agent', status, 'wrap_up_done', agent_guards(aid))
  if not row then return illegal('agent', status, 'wrap_up_done', aid) end
  move_agent(aid, status, row, '')
  done[#done + 1] = aid
end
return ok(done)
