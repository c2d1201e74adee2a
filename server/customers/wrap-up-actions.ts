import type { AuditLog } from '../audit/index.js';
import type { WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest } from '../http/errors.js';
import type { CustomersRepository } from './customers.repository.js';
import type { LifecycleStage } from './customers.schemas.js';

type WrapUpAction = WrapUpCode['action'];

/** A lifecycle stage set by hand, for the lifecycle domain to record (server/lifecycle). */
export interface StageSetByHand {
  customerId: number;
  from: LifecycleStage;
  to: LifecycleStage;
  source: 'wrap_up_code' | 'manual';
  wrapUpCode: string | null;
  interactionId: number | null;
  agentId: number | null;
}

/** A callback Follow-up to schedule; once per `sourceKey`. */
export interface CallbackRequest {
  customerId: number;
  interactionId: number | null;
  queueId: number | null;
  ownerAgentId: number | null;
  dueAt: string;
  note: string;
  sourceKey: string;
}

export interface WrapUpActionsDeps {
  customers: CustomersRepository;
  audit: AuditLog;
  clock: Clock;
  /** Writes the callback and its `followup.created` in one transaction. */
  scheduleCallback: (request: CallbackRequest) => { id: number; created: boolean };
  /** Writes a change and its `customer.updated` in one transaction. */
  changed: (customerId: number, fields: string[], write: () => void) => void;
  /** Tells the lifecycle a stage was set by hand. */
  stageSetByHand: (change: StageSetByHand) => void;
}

/** What a wrap-up code does to the Customer besides classifying the call. */
export function createWrapUpActions({
  customers,
  audit,
  clock,
  scheduleCallback,
  changed,
  stageSetByHand,
}: WrapUpActionsDeps) {
  /**
   * Runs what a wrap-up code does besides classifying the call: schedules the callback, flags
   * the customer do-not-call, or moves their lifecycle stage. Unknown callers have nothing to change.
   * Returns the follow-up of a scheduled callback, for the call path to dial when it is due.
   */
  return function applyWrapUpAction(
    actorAgentId: number,
    customerId: number | null,
    code: { code: string; action: WrapUpAction; actionLifecycleStage: LifecycleStage | null },
    call: { interactionId: number; queueId: number | null; callbackAt: string | null },
  ): { followUpId: number; dueAt: string } | null {
    if (customerId === null || code.action === 'none') return null;
    const now = clock.now().toISOString();
    const record = (action: string, details: Record<string, unknown>) =>
      audit.record({ actorAgentId, action, entityType: 'customer', entityId: customerId, details });
    switch (code.action) {
      case 'schedule_callback': {
        if (!call.callbackAt) throw badRequest(`Wrap-up code ${code.code} needs a callback time`);
        if (Date.parse(call.callbackAt) <= Date.parse(now))
          throw badRequest('The callback time must be in the future');
        const dueAt = new Date(call.callbackAt).toISOString();
        const callback = scheduleCallback({
          customerId,
          interactionId: call.interactionId,
          queueId: call.queueId,
          ownerAgentId: actorAgentId,
          dueAt,
          note: `Callback requested (${code.code})`,
          sourceKey: `callback:wrap_up:${call.interactionId}`,
        });
        if (callback.created) record('customer.callback_scheduled', { interactionId: call.interactionId });
        const followUpId = callback.id;
        return { followUpId, dueAt };
      }
      case 'do_not_call':
        changed(customerId, ['doNotCall'], () => customers.update(customerId, { doNotCall: true }, now));
        record('customer.do_not_call', { interactionId: call.interactionId });
        return null;
      case 'lifecycle_change':
        if (code.actionLifecycleStage) {
          const from = customers.getProfile(customerId)?.lifecycleStage ?? code.actionLifecycleStage;
          const stage = code.actionLifecycleStage;
          changed(customerId, ['lifecycleStage'], () =>
            customers.update(customerId, { lifecycleStage: stage }, now),
          );
          stageSetByHand({
            customerId,
            from,
            to: code.actionLifecycleStage,
            source: 'wrap_up_code',
            wrapUpCode: code.code,
            interactionId: call.interactionId,
            agentId: actorAgentId,
          });
          record('customer.lifecycle_change', {
            stage: code.actionLifecycleStage,
            interactionId: call.interactionId,
          });
        }
        return null;
    }
  };
}
