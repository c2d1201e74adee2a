-- A: { interactionId, event: 'abandon' | 'overflow' | 'voicemail' | 'callback' }
local iid = A.interactionId
local call = hgetall(K.call(iid))
if not call then return not_found('Call', iid) end
local row = step('call', call.state, A.event)
if not row then return illegal('call', call.state, A.event, iid) end
if call.state == 'reserved' then
  local res = hgetall(K.reservation(call.reservationId))
  if not res then return not_found('Reservation', call.reservationId) end
  local e = settle(res, 'cancel', A.event, 'reservation_cancelled')
  if e then return e end
  return ok({ cancelledReservationId = res.id })
end
redis.call('ZREM', K.waiting(call.queueId), iid)
finish_call(iid, row.to)
return ok({})
