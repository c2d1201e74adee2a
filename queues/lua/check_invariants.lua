-- Read-only and atomic, so it may run while other processes work. Returns every violation found.
local v = {}
local function bad(message) v[#v + 1] = message end
local function set_of(list)
  local s = {}
  for _, m in ipairs(list) do s[m] = true end
  return s
end

local live_list = redis.call('SMEMBERS', K.live)
local live = set_of(live_list)
local connected_list = redis.call('SMEMBERS', K.connected)
local connected = set_of(connected_list)

local queued_in, queue_count, waiting_total = {}, {}, 0
for _, queue_id in ipairs(redis.call('SMEMBERS', K.queues)) do
  for _, iid in ipairs(redis.call('ZRANGE', K.waiting(queue_id), 0, -1)) do
    queued_in[iid] = queue_id
    queue_count[iid] = (queue_count[iid] or 0) + 1
    waiting_total = waiting_total + 1
    if not live[iid] then bad('call ' .. iid .. ' waits in queue ' .. queue_id .. ' but is not live') end
  end
end

local res_of_call, res_count_of_call, res_count_of_agent, pending_total = {}, {}, {}, 0
for _, rid in ipairs(redis.call('ZRANGE', K.pending, 0, -1)) do
  pending_total = pending_total + 1
  local res = hgetall(K.reservation(rid))
  if not res or res.state ~= 'pending' then
    bad('reservation ' .. rid .. ' is indexed as pending but is ' .. (res and res.state or 'missing'))
  else
    res_of_call[res.interactionId] = rid
    res_count_of_call[res.interactionId] = (res_count_of_call[res.interactionId] or 0) + 1
    res_count_of_agent[res.agentId] = (res_count_of_agent[res.agentId] or 0) + 1
    if not live[res.interactionId] then bad('reservation ' .. rid .. ' offers a call that is not live') end
  end
end

local calls_of_agent = {}
for _, iid in ipairs(connected_list) do
  if not live[iid] then bad('call ' .. iid .. ' is connected but not live') end
  local aid = redis.call('HGET', K.call(iid), 'agentId')
  if aid then calls_of_agent[aid] = (calls_of_agent[aid] or 0) + 1 end
end

for _, iid in ipairs(live_list) do
  local call = hgetall(K.call(iid))
  if not call then
    bad('call ' .. iid .. ' is live but has no record')
  else
    local places = (queue_count[iid] or 0) + (res_count_of_call[iid] or 0) + (connected[iid] and 1 or 0)
    if places ~= 1 then bad('call ' .. iid .. ' is in ' .. places .. ' places') end
    local s = call.state
    if s == 'queued' then
      if queued_in[iid] ~= call.queueId then bad('call ' .. iid .. ' is queued but not in queue ' .. call.queueId) end
    elseif s == 'reserved' then
      if res_of_call[iid] ~= call.reservationId then
        bad('call ' .. iid .. ' is reserved but reservation ' .. tostring(call.reservationId) .. ' is not pending')
      end
    elseif s == 'connected' then
      if not connected[iid] then bad('call ' .. iid .. ' is connected but not in the connected set') end
    else
      bad('call ' .. iid .. ' is live in final state ' .. s)
    end
  end
end

local reserved_agents, on_call_agents = 0, 0
for _, aid in ipairs(redis.call('SMEMBERS', K.agents)) do
  local a = redis.call('HMGET', K.agent(aid), 'status', 'reservationId')
  local status = a[1]
  local holds = res_count_of_agent[aid] or 0
  if status == 'reserved' then
    reserved_agents = reserved_agents + 1
    if holds ~= 1 then bad('agent ' .. aid .. ' is reserved with ' .. holds .. ' pending reservations') end
    local res_state = a[2] and redis.call('HGET', K.reservation(a[2]), 'state')
    if res_state ~= 'pending' then bad('agent ' .. aid .. ' is reserved but its reservation is not pending') end
  elseif holds > 0 then
    bad('agent ' .. aid .. ' is ' .. tostring(status) .. ' yet holds ' .. holds .. ' pending reservations')
  end
  local calls = calls_of_agent[aid] or 0
  if status == 'on_call' then on_call_agents = on_call_agents + 1 end
  if (status == 'on_call' and calls ~= 1) or (status ~= 'on_call' and calls ~= 0) then
    bad('agent ' .. aid .. ' is ' .. tostring(status) .. ' with ' .. calls .. ' connected calls')
  end
  local indexed = redis.call('ZSCORE', K.available, aid) ~= false
  if indexed ~= (status == 'available') then
    bad('agent ' .. aid .. ' is ' .. tostring(status) .. (indexed and ' but indexed' or ' but not indexed') .. ' as available')
  end
  if redis.call('ZSCORE', K.wrapUpDeadlines, aid) and status ~= 'wrap_up' then
    bad('agent ' .. aid .. ' has a wrap-up deadline but is ' .. tostring(status))
  end
end

-- Each queue's eligible index holds exactly its qualified available agents, since when they became
-- available; its ranked index holds the same agents, each with the score the queue's strategy gives.
-- A least_occupied score from an earlier day stands for no talk today (dispatch rolls it over).
local function ranks_agree(strategy, aid, since, proficiency, score)
  if strategy ~= 'least_occupied' then return score == tonumber(rank_score(strategy, aid, since, proficiency)) end
  local day = math.floor(score / TALK_SPAN)
  local talk = (day == TODAY) and (score - TODAY_FLOOR) or 0
  return day <= TODAY and talk == math.min(talk_ms_today(aid), TALK_SPAN - 1)
end

local available_flat = redis.call('ZRANGE', K.available, 0, -1, 'WITHSCORES')
for _, queue_id in ipairs(redis.call('SMEMBERS', K.queues)) do
  local q = load_queue(queue_id)
  local expected = 0
  for i = 1, #available_flat, 2 do
    local aid, since = available_flat[i], available_flat[i + 1]
    local proficiency = qualifies(aid, q.skills)
    if proficiency then
      expected = expected + 1
      if redis.call('ZSCORE', K.eligible(queue_id), aid) ~= since then
        bad('agent ' .. aid .. ' is available for queue ' .. queue_id .. ' but not indexed as eligible for it')
      end
      local score = tonumber(redis.call('ZSCORE', K.ranked(queue_id), ranked_member(aid)))
      if not score or not ranks_agree(q.strategy, aid, tonumber(since), proficiency, score) then
        bad('agent ' .. aid .. ' is ranked ' .. tostring(score) .. ' in queue ' .. queue_id .. ' (' .. q.strategy .. ')')
      end
    end
  end
  for _, index in ipairs({ 'eligible', 'ranked' }) do
    local indexed = redis.call('ZCARD', K[index](queue_id))
    if indexed ~= expected then
      bad('queue ' .. queue_id .. ' indexes ' .. indexed .. ' ' .. index .. ' agents, not ' .. expected)
    end
  end
end

if waiting_total + pending_total + #connected_list ~= #live_list then
  bad(waiting_total .. ' waiting + ' .. pending_total .. ' reserved + ' .. #connected_list
    .. ' connected calls do not add up to ' .. #live_list .. ' live calls')
end
if reserved_agents ~= pending_total then
  bad(reserved_agents .. ' reserved agents but ' .. pending_total .. ' pending reservations')
end
if on_call_agents ~= #connected_list then
  bad(on_call_agents .. ' agents on call but ' .. #connected_list .. ' connected calls')
end
return ok(v)
