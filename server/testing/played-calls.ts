import type { createInteractionsRepository } from '../interactions/index.js';

type Repo = ReturnType<typeof createInteractionsRepository>;

/**
 * One inbound call through the repository as the call path records it: queued at once, answered by
 * `agentId` after `wait` s, talked `talk` s (default 60) and wrapped up 10 s later; or, without an
 * agent, abandoned after `wait` s.
 */
export function playInboundCall(
  repo: Repo,
  n: number,
  fields: {
    queueId: number;
    arrivedAt: string;
    wait: number;
    agentId?: number;
    talk?: number;
    customerId?: number;
    /** Default +14155550123. */
    callerNumber?: string;
  },
): number {
  const { id } = repo.recordArrival({
    direction: 'inbound',
    provider: 'twilio',
    providerCallId: `CA${n}`,
    callerNumber: fields.callerNumber ?? '+14155550123',
    customerId: fields.customerId ?? null,
    arrivedAt: fields.arrivedAt,
  });
  const at = (s: number) => new Date(Date.parse(fields.arrivedAt) + s * 1000).toISOString();
  repo.apply(id, { type: 'ivr_left' }, at(0));
  repo.apply(id, { type: 'queued', queueId: fields.queueId }, at(0));
  if (fields.agentId === undefined) {
    repo.apply(id, { type: 'ended', outcome: null }, at(fields.wait));
    return id;
  }
  repo.apply(id, { type: 'offered', agentId: fields.agentId }, at(fields.wait - 1));
  repo.apply(id, { type: 'answered', agentId: fields.agentId }, at(fields.wait));
  repo.apply(id, { type: 'ended', outcome: null }, at(fields.wait + (fields.talk ?? 60)));
  repo.apply(
    id,
    { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null },
    at(fields.wait + (fields.talk ?? 60) + 10),
  );
  return id;
}
