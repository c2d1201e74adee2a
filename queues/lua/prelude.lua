-- Prepended to every ACD script, after MACHINES_JSON (the transition tables of the *.machine.ts files).
-- ARGV: 1 key prefix, 2 the clock's now in ms, 3 retention of finished records in s, 4 JSON arguments.
-- Ids arrive as strings so keys never depend on Lua's number formatting.
-- The key layout is documented in acd-context.ts; keep the two in step.
local P = ARGV[1]
local NOW = tonumber(ARGV[2])
local RETENTION = tonumber(ARGV[3])
local A = cjson.decode(ARGV[4])
local MACHINES = cjson.decode(MACHINES_JSON)
local DAY_MS = 86400000

local K = {
  queues = P .. 'queues',
  agents = P .. 'agents',
  available = P .. 'agents:available',
  wrapUpDeadlines = P .. 'agents:wrap_up_deadlines',
  live = P .. 'calls:live',
  connected = P .. 'calls:connected',
  pending = P .. 'reservations:pending',
  reservationSeq = P .. 'reservations:seq',
}
function K.queue(id) return P .. 'queue:' .. id end
function K.waiting(id) return P .. 'queue:' .. id .. ':waiting' end
function K.eligible(id) return P .. 'queue:' .. id .. ':eligible' end
function K.ranked(id) return P .. 'queue:' .. id .. ':ranked' end
function K.agent(id) return P .. 'agent:' .. id end
function K.skills(id) return P .. 'agent:' .. id .. ':skills' end
function K.call(id) return P .. 'call:' .. id end
function K.reservation(id) return P .. 'reservation:' .. id end

local function ok(value) return cjson.encode({ ok = value }) end
local function fail(e) return cjson.encode({ err = e }) end
local function not_found(entity, id) return fail({ code = 'not_found', entity = entity, id = id }) end
local function illegal(machine, from, event, id)
  return fail({ code = 'illegal_transition', machine = machine, from = from or 'unknown', event = event, id = id })
end

local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h
end

-- The first row of a machine's table that takes `event` from `from` with these guards, or nil.
local function step(machine, from, event, guards)
  for _, row in ipairs(MACHINES[machine]) do
    if row.event == event then
      local from_ok = false
      for _, state in ipairs(row.from) do
        if state == from then from_ok = true end
      end
      local guards_ok = true
      if type(row.when) == 'table' then
        for flag, value in pairs(row.when) do
          if guards == nil or guards[flag] ~= value then guards_ok = false end
        end
      end
      if from_ok and guards_ok then return row end
    end
  end
  return nil
end

local function load_queue(id)
  local q = hgetall(K.queue(id))
  if q then
    q.id = id
    q.skills = cjson.decode(q.requiredSkills)
  end
  return q
end

-- The agent's proficiency summed over the required skills when they have every one at its minimum
-- (0 when none is required), otherwise nil.
local function qualifies(agent_id, required)
  local sum = 0
  for _, r in ipairs(required) do
    local p = tonumber(redis.call('HGET', K.skills(agent_id), r.skill))
    if not p or p < r.minProficiency then return nil end
    sum = sum + p
  end
  return sum
end

-- Each queue's ranked index holds the same agents as its eligible index, scored so that its first
-- member is the agent the queue's strategy picks: dispatch reads one member, however many agents wait.
-- Members are ids zero-padded to 16 digits (every safe integer fits) because Redis orders equal
-- scores by member bytes: padded, that is the lowest id first, the tie-break of every strategy.
local function ranked_member(id) return string.rep('0', 16 - #id) .. id end
local function ranked_id(member) return (string.gsub(member, '^0+', '')) end

-- least_occupied scores carry the UTC day of the talk time they count: day × TALK_SPAN + talk ms
-- (clamped below TALK_SPAN, 49 days). An agent still waiting from before midnight keeps yesterday's
-- score, which sorts below every score of today; dispatch moves those to today's zero when it meets one.
local TODAY = math.floor(NOW / DAY_MS)
local TALK_SPAN = 4294967296
local TODAY_FLOOR = TODAY * TALK_SPAN

local function talk_ms_today(agent_id)
  local v = redis.call('HMGET', K.agent(agent_id), 'talkMs', 'talkDay')
  if tonumber(v[2]) == TODAY then return tonumber(v[1]) or 0 end
  return 0
end

local function rank_score(strategy, agent_id, since, proficiency)
  if strategy == 'least_occupied' then return TODAY_FLOOR + math.min(talk_ms_today(agent_id), TALK_SPAN - 1) end
  if strategy == 'skills_best_match' then return 0 - proficiency end
  if strategy == 'round_robin' then return agent_id end
  return since
end

local function index_eligible(queue_id, strategy, agent_id, since, proficiency)
  redis.call('ZADD', K.eligible(queue_id), since, agent_id)
  redis.call('ZADD', K.ranked(queue_id), rank_score(strategy, agent_id, since, proficiency), ranked_member(agent_id))
end

-- The available agent joins the available index and, for each CallQueue they have the skills for, that
-- queue's eligible and ranked indexes, so dispatch never scans agents who cannot take a queue's calls.
local function index_available(id, since)
  redis.call('ZADD', K.available, since, id)
  for _, queue_id in ipairs(redis.call('SMEMBERS', K.queues)) do
    local q = redis.call('HMGET', K.queue(queue_id), 'requiredSkills', 'strategy')
    local proficiency = q[1] and qualifies(id, cjson.decode(q[1]))
    if proficiency then index_eligible(queue_id, q[2], id, since, proficiency) end
  end
end

local function unindex_available(id)
  redis.call('ZREM', K.available, id)
  for _, queue_id in ipairs(redis.call('SMEMBERS', K.queues)) do
    redis.call('ZREM', K.eligible(queue_id), id)
    redis.call('ZREM', K.ranked(queue_id), ranked_member(id))
  end
end

-- The guards of an agent's event plus those their hash decides: breakNext when a break is planned.
local function agent_guards(id, guards)
  local g = guards or {}
  local planned = redis.call('HGET', K.agent(id), 'nextReason')
  g.breakNext = planned ~= false and planned ~= ''
  return g
end

local function leaves_plan_behind(to) return to == 'available' or to == 'break' or to == 'offline' end

-- Moves an agent along a row and keeps the indexes derived from its status in step. A row guarded by
-- breakNext takes the planned reason; any move out of the call statuses ends the plan, so a missed
-- offer (its own break reason) or a logout leaves none behind for a later call.
local function move_agent(id, from, row, reason)
  local key = K.agent(id)
  local to = row.to
  if type(row.when) == 'table' and row.when.breakNext == true then
    reason = redis.call('HGET', key, 'nextReason')
  end
  redis.call('HSET', key, 'status', to, 'reason', reason or '', 'statusSinceMs', NOW)
  if leaves_plan_behind(to) then redis.call('HDEL', key, 'nextReason') end
  if from == 'available' and to ~= 'available' then unindex_available(id) end
  if from == 'wrap_up' and to ~= 'wrap_up' then redis.call('ZREM', K.wrapUpDeadlines, id) end
  if to == 'available' and from ~= 'available' then
    local since = NOW
    -- A call that vanishes while ringing is not the agent's doing: they keep their longest-idle place.
    if row.event == 'reservation_cancelled' then
      since = tonumber(redis.call('HGET', key, 'availableSinceMs')) or NOW
    end
    redis.call('HSET', key, 'availableSinceMs', since)
    index_available(id, since)
  end
end

-- A call in a final state leaves the live indexes; its record stays for a while so that a retried
-- enqueue of the same interaction still does nothing.
local function finish_call(iid, state)
  redis.call('HSET', K.call(iid), 'state', state, 'endedAtMs', NOW)
  redis.call('SREM', K.live, iid)
  redis.call('EXPIRE', K.call(iid), RETENTION)
end

-- Writes a new waiting call; the caller puts it in its queue's waiting set (or straight into a
-- reservation). Its place: the time it started waiting, less its queue's head start for its tier.
local function create_call(iid, queue_id, tier, enqueued_at_ms, head_start)
  local sort_key = enqueued_at_ms - head_start
  redis.call('HSET', K.call(iid),
    'state', 'queued',
    'queueId', queue_id,
    'tier', tier,
    'enqueuedAtMs', enqueued_at_ms,
    'headStartMs', head_start,
    'raisedSeconds', 0,
    'sortKey', sort_key)
  redis.call('SADD', K.live, iid)
  return sort_key
end

-- Offers a queued call to an available agent: the reservation rings for the queue's ring timeout. The
-- caller has checked that the call is queued and the agent available. Returns the reservation.
local function create_reservation(iid, aid, queue_id, ring_timeout_seconds, reason)
  local rid = tostring(redis.call('INCR', K.reservationSeq))
  local res = {
    id = rid,
    interactionId = iid,
    agentId = aid,
    queueId = queue_id,
    state = 'pending',
    createdAtMs = NOW,
    expiresAtMs = NOW + tonumber(ring_timeout_seconds) * 1000,
    reason = reason,
  }
  local fields = {}
  for field, value in pairs(res) do
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
  redis.call('HSET', K.reservation(rid), unpack(fields))
  redis.call('ZADD', K.pending, res.expiresAtMs, rid)
  redis.call('ZREM', K.waiting(queue_id), iid)
  redis.call('HSET', K.call(iid), 'state', step('call', 'queued', 'reserve').to, 'reservationId', rid, 'agentId', aid)
  local agent_status = redis.call('HGET', K.agent(aid), 'status')
  move_agent(aid, agent_status, step('agent', agent_status, 'reserve'), '')
  redis.call('HSET', K.agent(aid), 'reservationId', rid, 'interactionId', iid)
  return res
end

-- Ends a pending reservation: `event` for the reservation, `call_event` and `agent_event` for the two
-- sides. Checks all three machines before writing anything. Returns nil, or an error reply.
local function settle(res, event, call_event, agent_event)
  local iid, aid = res.interactionId, res.agentId
  local res_row = step('reservation', res.state, event)
  if not res_row then return illegal('reservation', res.state, event, res.id) end
  local call = hgetall(K.call(iid))
  local call_row = call and step('call', call.state, call_event)
  if not call_row then return illegal('call', call and call.state, call_event, iid) end
  local agent_status = redis.call('HGET', K.agent(aid), 'status')
  local agent_row = agent_status and step('agent', agent_status, agent_event, agent_guards(aid))
  if not agent_row then return illegal('agent', agent_status or nil, agent_event, aid) end

  redis.call('HSET', K.reservation(res.id), 'state', res_row.to, 'settledAtMs', NOW)
  redis.call('EXPIRE', K.reservation(res.id), RETENTION)
  redis.call('ZREM', K.pending, res.id)
  move_agent(aid, agent_status, agent_row, agent_row.reason)
  if call_row.to == 'connected' then
    redis.call('HSET', K.call(iid), 'state', 'connected', 'connectedAtMs', NOW)
    redis.call('SADD', K.connected, iid)
    redis.call('HDEL', K.agent(aid), 'reservationId')
  else
    redis.call('HDEL', K.agent(aid), 'reservationId', 'interactionId')
    if call_row.to == 'queued' then
      -- Back at its own place: the original sort key, not re-aged from now.
      redis.call('HSET', K.call(iid), 'state', 'queued')
      redis.call('HDEL', K.call(iid), 'reservationId', 'agentId')
      redis.call('ZADD', K.waiting(call.queueId), call.sortKey, iid)
    else
      finish_call(iid, call_row.to)
    end
  end
  return nil
end
