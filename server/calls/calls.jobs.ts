/** Background jobs of the call path, run by BullMQ (server/jobs). Names live here and only here. */
export const CALL_JOBS = {
  /** Puts a callback in its CallQueue when it is due; the ACD then offers it to the next free agent. */
  queueCallback: 'callback.queue',
} as const;

export interface CallbackJob {
  /** The Interaction being called back: the call that asked for it, or the attempt before. */
  parentInteractionId: number;
  /** E.164. */
  phoneNumber: string;
  customerId: number | null;
  queueId: number;
  /** The customer's callback follow-up, done once the customer answers; null for an unknown caller. */
  followUpId: number | null;
  /** 1 for the first try. */
  attempt: number;
  /** The caller's place in the queue (when they started waiting); null: when the callback is queued. */
  enqueuedAtMs: number | null;
}

export interface CallJobPayloads {
  [CALL_JOBS.queueCallback]: CallbackJob;
}
