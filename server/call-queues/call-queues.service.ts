import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { CallQueuesRepository, QueueFields } from './call-queues.repository.js';
import type {
  CallQueue,
  CreateCallQueueBody,
  CreateWrapUpCodeBody,
  UpdateCallQueueBody,
  UpdateWrapUpCodeBody,
  WrapUpCode,
} from './call-queues.schemas.js';

export interface CallQueuesServiceDeps {
  callQueues: CallQueuesRepository;
  audit: AuditLog;
  clock: Clock;
  /**
   * A CallQueue was created or its required skills changed, so who qualifies for it may have changed
   * (the desks' backlog rooms follow). Default: nothing.
   */
  qualificationChanged?: () => Promise<void>;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function createCallQueuesService({
  callQueues,
  audit,
  clock,
  qualificationChanged = async () => undefined,
}: CallQueuesServiceDeps) {
  const auditQueue = auditTrail(audit, 'call_queue');
  const auditCode = auditTrail(audit, 'wrap_up_code');
  // Every call reads its queue and wrap-up codes at each desk push; this service is their one writer,
  // so it keeps them in memory and forgets them when it writes.
  const queues = new Map<number, CallQueue>();
  const codeLists = new Map<number | undefined, WrapUpCode[]>();
  const written = <T>(result: T): T => {
    queues.clear();
    codeLists.clear();
    return result;
  };

  function existing(id: number): CallQueue {
    const queue = queues.get(id) ?? callQueues.get(id);
    if (!queue) throw notFound('Call queue', id);
    queues.set(id, queue);
    return queue;
  }

  function listCodes(setId?: number): WrapUpCode[] {
    const codes = codeLists.get(setId) ?? callQueues.listCodes(setId);
    codeLists.set(setId, codes);
    return codes;
  }

  /** Rules spanning several fields or rows, checked on the queue as it would be after the change. */
  function validate(queue: Partial<QueueFields>, id: number | null) {
    if (queue.name !== undefined) {
      const owner = callQueues.idByName(queue.name);
      if (owner !== null && owner !== id) throw conflict(`A call queue named ${queue.name} exists`);
    }
    if (queue.timeZone !== undefined && !isTimeZone(queue.timeZone)) {
      throw badRequest(`timeZone "${queue.timeZone}" is not an IANA time zone such as Europe/London`);
    }
    if (queue.overflowQueueId != null) {
      if (queue.overflowQueueId === id) throw badRequest('A call queue cannot overflow to itself');
      if (!callQueues.get(queue.overflowQueueId))
        throw badRequest(`overflowQueueId ${queue.overflowQueueId} does not exist`);
    }
    if (queue.wrapUpCodeSetId != null && !callQueues.codeSetExists(queue.wrapUpCodeSetId)) {
      throw badRequest(`wrapUpCodeSetId ${queue.wrapUpCodeSetId} does not exist`);
    }
    if (queue.acwPolicy === 'timed' && queue.acwSeconds == null) {
      throw badRequest('acwPolicy "timed" needs acwSeconds');
    }
  }

  function validateCode(code: Pick<WrapUpCode, 'action' | 'actionLifecycleStage'>) {
    if (code.action === 'lifecycle_change' && !code.actionLifecycleStage) {
      throw badRequest('action "lifecycle_change" needs actionLifecycleStage');
    }
  }

  return {
    list: () => callQueues.list(),
    get: existing,
    /** The queue with this name, compared without case (IVR flows and SIP routes name queues). */
    findByName: (name: string): CallQueue | undefined =>
      callQueues.list().find((queue) => queue.name.toLowerCase() === name.toLowerCase()),

    create(actor: Me, body: CreateCallQueueBody, ip: string): CallQueue {
      validate(body, null);
      const id = written(callQueues.create(body, clock.now().toISOString()));
      auditQueue(actor, 'call_queue.create', id, ip);
      void qualificationChanged();
      return existing(id);
    },

    update(actor: Me, id: number, body: UpdateCallQueueBody, ip: string): CallQueue {
      const current = existing(id);
      validate({ ...current, ...body }, id);
      written(callQueues.update(id, body, clock.now().toISOString()));
      auditQueue(actor, 'call_queue.update', id, ip, { changes: body });
      if (body.skills !== undefined) void qualificationChanged();
      return existing(id);
    },

    listCodes,

    createCode(actor: Me, body: CreateWrapUpCodeBody, ip: string): WrapUpCode {
      const code = {
        setName: body.setName.trim(),
        code: body.code,
        label: body.label.trim(),
        action: body.action ?? 'none',
        actionLifecycleStage: body.actionLifecycleStage ?? null,
        followUp: body.followUp ?? null,
      };
      validateCode(code);
      const id = written(callQueues.createCode(code));
      if (id === 'exists') throw conflict(`Wrap-up code ${body.code} exists in ${body.setName}`);
      auditCode(actor, 'wrap_up_code.create', id, ip);
      return callQueues.getCode(id)!;
    },

    updateCode(actor: Me, id: number, body: UpdateWrapUpCodeBody, ip: string): WrapUpCode {
      const current = callQueues.getCode(id);
      if (!current) throw notFound('Wrap-up code', id);
      validateCode({ ...current, ...body });
      written(callQueues.updateCode(id, body));
      auditCode(actor, 'wrap_up_code.update', id, ip, { changes: body });
      return callQueues.getCode(id)!;
    },
  };
}

export type CallQueuesService = ReturnType<typeof createCallQueuesService>;
