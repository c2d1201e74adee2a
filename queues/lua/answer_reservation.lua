-- A: { reservationId, agentId, event: 'accept' | 'reject' }
local res = hgetall(K.reservation(A.reservationId))
if not res then return not_found('Reservation', A.reservationId) end
if res.agentId ~= A.agentId then
  return fail({ code = 'not_your_reservation', reservationId = res.id, agentId = A.agentId })
end
-- Expiry is decided here too, not only by the sweep: an answer after the deadline must never connect.
if res.state == 'pending' and NOW >= tonumber(res.expiresAtMs) then
  local e = settle(res, 'time_out', 'reservation_timed_out', 'reservation_timed_out')
  if e then return e end
  return illegal('reservation', 'timed_out', A.event, res.id)
end
local e
if A.event == 'accept' then
  e = settle(res, 'accept', 'answer', 'answer')
else
  e = settle(res, 'reject', 'reservation_rejected', 'reservation_rejected')
end
if e then return e end
return ok(hgetall(K.reservation(res.id)))
