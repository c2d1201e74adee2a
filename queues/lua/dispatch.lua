-- Pairs waiting calls with available agents until no waiting call has an eligible agent left.
-- The best call across all queues goes first (sort keys compare across queues because they include
-- the queue priority) and takes the best agent by its queue's strategy. Every call in a queue needs the
-- same skills, so when a queue's head finds nobody, nobody in that queue would: the queue drops out.
-- Agents come from each queue's eligible index (available and qualified), so longest idle costs a
-- lookup per pairing; the other strategies read the queue's eligible agents once per pairing.
local queue_cache = {}
local function queue(id)
  if queue_cache[id] == nil then queue_cache[id] = load_queue(id) or false end
  return queue_cache[id]
end

local function talk_ms_today(agent_id)
  local v = redis.call('HMGET', K.agent(agent_id), 'talkMs', 'talkDay')
  if tonumber(v[2]) == math.floor(NOW / DAY_MS) then return tonumber(v[1]) or 0 end
  return 0
end

local function proficiency_sum(agent_id, required)
  local sum = 0
  for _, r in ipairs(required) do sum = sum + tonumber(redis.call('HGET', K.skills(agent_id), r.skill)) end
  return sum
end

local function skills_text(required)
  if #required == 0 then return 'available' end
  local parts = {}
  for i, r in ipairs(required) do parts[i] = r.skill .. '≥' .. r.minProficiency end
  return (#required == 1 and 'with skill ' or 'with skills ') .. table.concat(parts, ', ')
end

-- The available agents qualified for the queue.
local function eligible_of(q)
  local list = {}
  for _, id in ipairs(redis.call('ZRANGE', K.eligible(q.id), 0, -1)) do list[#list + 1] = { id = id } end
  return list
end

-- The eligible agent with the lowest rank under the queue's strategy; equal ranks go to the lowest id.
local function choose(q)
  if q.strategy == 'longest_idle' then
    local first = redis.call('ZRANGE', K.eligible(q.id), 0, 0, 'WITHSCORES')
    local tied = redis.call('ZRANGEBYSCORE', K.eligible(q.id), first[2], first[2])
    local best = tied[1]
    for _, id in ipairs(tied) do
      if tonumber(id) < tonumber(best) then best = id end
    end
    return { id = best }, 'longest idle (' .. math.floor((NOW - tonumber(first[2])) / 1000) .. ' s)'
  end
  local best, best_rank
  local function consider(a, rank)
    if not best or rank < best_rank or (rank == best_rank and tonumber(a.id) < tonumber(best.id)) then
      best, best_rank = a, rank
    end
  end
  local eligible = eligible_of(q)
  if q.strategy == 'least_occupied' then
    for _, a in ipairs(eligible) do consider(a, talk_ms_today(a.id)) end
    return best, 'least occupied (' .. math.floor(best_rank / 1000) .. ' s talk today)'
  elseif q.strategy == 'skills_best_match' then
    for _, a in ipairs(eligible) do consider(a, 0 - proficiency_sum(a.id, q.skills)) end
    return best, 'best skills match (proficiency ' .. (0 - best_rank) .. ')'
  end
  -- round_robin: the lowest id after the queue's pointer, wrapping round to the lowest id.
  local last = tonumber(q.rrLastAgentId) or 0
  for _, a in ipairs(eligible) do consider(a, tonumber(a.id) > last and 0 or 1) end
  return best, 'next in round robin'
end

local function reserve(head, q, agent, detail, candidates)
  local iid, aid = head.interactionId, agent.id
  local call_state = redis.call('HGET', K.call(iid), 'state')
  local agent_status = redis.call('HGET', K.agent(aid), 'status')
  local call_row = step('call', call_state, 'reserve')
  local agent_row = step('agent', agent_status, 'reserve')
  -- The indexes only hold queued calls and available agents; anything else is a broken invariant.
  if not call_row or not agent_row then
    error('ACD invariant broken: call ' .. iid .. ' is ' .. tostring(call_state) .. ', agent ' .. aid .. ' is '
      .. tostring(agent_status))
  end
  -- The reason names no agent: the offer says who, by name; an id here reads like someone's username.
  local res = create_reservation(iid, aid, q.id, q.ringTimeoutSeconds,
    detail .. ' among ' .. candidates .. ' ' .. skills_text(q.skills))
  if q.strategy == 'round_robin' then
    redis.call('HSET', K.queue(q.id), 'rrLastAgentId', aid)
    q.rrLastAgentId = aid
  end
  return res
end

local function head_of(queue_id)
  local h = redis.call('ZRANGE', K.waiting(queue_id), 0, 0, 'WITHSCORES')
  if h[1] then return { queueId = queue_id, interactionId = h[1], sortKey = tonumber(h[2]) } end
  return nil
end

local heads = {}
for _, queue_id in ipairs(redis.call('SMEMBERS', K.queues)) do
  local h = head_of(queue_id)
  if h then heads[#heads + 1] = h end
end

local made = {}
while #heads > 0 and redis.call('ZCARD', K.available) > 0 do
  local bi = 1
  for i = 2, #heads do
    local h, b = heads[i], heads[bi]
    if h.sortKey < b.sortKey
      or (h.sortKey == b.sortKey and tonumber(h.interactionId) < tonumber(b.interactionId)) then
      bi = i
    end
  end
  local head = heads[bi]
  local q = queue(head.queueId)
  local candidates = redis.call('ZCARD', K.eligible(q.id))
  if candidates == 0 then
    table.remove(heads, bi)
  else
    local agent, detail = choose(q)
    made[#made + 1] = reserve(head, q, agent, detail, candidates)
    local next_head = head_of(head.queueId)
    if next_head then heads[bi] = next_head else table.remove(heads, bi) end
  end
end
return ok(made)
