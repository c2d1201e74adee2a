-- A: { id, skills: [{ skill, proficiency }] }. A new agent starts offline.
redis.call('DEL', K.skills(A.id))
for _, s in ipairs(A.skills) do
  redis.call('HSET', K.skills(A.id), s.skill, s.proficiency)
end
if redis.call('HSETNX', K.agent(A.id), 'status', 'offline') == 1 then
  redis.call('HSET', K.agent(A.id), 'reason', '', 'statusSinceMs', NOW)
end
redis.call('SADD', K.agents, A.id)
return ok(true)
