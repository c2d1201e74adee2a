-- Pairs waiting calls with available agents until no waiting call has an eligible agent left.
-- The best call across all queues goes first (sort keys compare across queues because they include
-- the queue priority) and takes the best agent by its queue's strategy. Every call in a queue needs the
-- same skills, so when a queue's head finds nobody, nobody in that queue would: the queue drops out.
-- Agents come from each queue's ranked index (available and qualified, in the order of the queue's
-- strategy), so every pairing reads one agent whatever the number of agents.
local queue_cache = {}
local function queue(id)
  if queue_cache[id] == nil then queue_cache[id] = load_queue(id) or false end
  return queue_cache[id]
end

local function skills_text(required)
  if #required == 0 then return 'available' end
  local parts = {}
  for i, r in ipairs(required) do parts[i] = r.skill .. '≥' .. r.minProficiency end
  return (#required == 1 and 'with skill ' or 'with skills ') .. table.concat(parts, ', ')
end

-- The first agent of the queue's ranked index (from `min` on, exclusive, when given) and their score.
local function first_ranked(q, min)
  local r
  if min then
    r = redis.call('ZRANGEBYSCORE', K.ranked(q.id), '(' .. min, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  else
    r = redis.call('ZRANGE', K.ranked(q.id), 0, 0, 'WITHSCORES')
  end
  if not r[1] then return nil end
  return { id = ranked_id(r[1]) }, tonumber(r[2])
end

-- Agents waiting since before midnight still hold the talk time of their day, lower than any of today:
-- the first dispatch of the day to meet one moves them all to today's zero. Each agent moves at most
-- once a day, and nobody is scored again until their next wait.
local function roll_over_day(q)
  -- Formatted by hand: Lua's own number to text keeps 14 digits, and day scores have 14 or more.
  local below_today = '(' .. string.format('%.0f', TODAY_FLOOR)
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', K.ranked(q.id), '-inf', below_today)) do
    redis.call('ZADD', K.ranked(q.id), TODAY_FLOOR, member)
  end
end

-- The eligible agent the queue's strategy ranks first; equal ranks go to the lowest id.
local function choose(q)
  if q.strategy == 'least_occupied' then
    local agent, score = first_ranked(q)
    if score < TODAY_FLOOR then
      roll_over_day(q)
      agent, score = first_ranked(q)
    end
    return agent, 'least occupied (' .. math.floor((score - TODAY_FLOOR) / 1000) .. ' s talk today)'
  elseif q.strategy == 'skills_best_match' then
    local agent, score = first_ranked(q)
    return agent, 'best skills match (proficiency ' .. (0 - score) .. ')'
  elseif q.strategy == 'round_robin' then
    -- The lowest id after the queue's pointer, wrapping round to the lowest id.
    local agent = first_ranked(q, q.rrLastAgentId or 0) or first_ranked(q)
    return agent, 'next in round robin'
  end
  local agent, since = first_ranked(q)
  return agent, 'longest idle (' .. math.floor((NOW - since) / 1000) .. ' s)'
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
