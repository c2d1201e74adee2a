-- A: { kind: 'agent' | 'call' | 'reservation', id }
if A.kind == 'agent' then return ok(hgetall(K.agent(A.id))) end
if A.kind == 'reservation' then return ok(hgetall(K.reservation(A.id))) end
return ok(hgetall(K.call(A.id)))
