-- A: { id, skills: [{ skill, proficiency }] }. A new agent starts offline.
redis.call('DEL', K.skills(A.id))
for _, s in ipairs(A.skills) do
  redis.call('HSET', K.skills(A.id), s.skill, s.proficiency)
end
if redis.call('HSETNX', K.agent(A.id), 'status', 'offline') == 1 then
  redis.call('HSET', K.agent(A.id), 'reason', '', 'statusSinceMs', NOW)
end
redis.call('SADD', K.agents, A.id)
-- New skills may open or close queues to an agent who is waiting for a call right now.
local since = redis.call('ZSCORE', K.available, A.id)
if since then
  unindex_available(A.id)
  index_available(A.id, tonumber(since))
end
return ok(true)
