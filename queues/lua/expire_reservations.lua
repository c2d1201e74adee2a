-- Times out every pending reservation whose deadline is at or before now.
local expired = {}
for _, rid in ipairs(redis.call('ZRANGEBYSCORE', K.pending, '-inf', NOW)) do
  local res = hgetall(K.reservation(rid))
  local e = settle(res, 'time_out', 'reservation_timed_out', 'reservation_timed_out')
  if e then return e end
  expired[#expired + 1] = hgetall(K.reservation(rid))
end
return ok(expired)
