/**
 * Every entry type an Interaction's timeline records. The server may only write these (the
 * repository's `note` is typed by this list) and the console has words for each of them (its tests
 * check both languages), so a new type cannot reach an agent as a raw key. Imports nothing: the
 * console may import it as a value.
 */
export const INTERACTION_EVENT_TYPES = [
  // The state machine's events (server/interactions/interaction.machine.ts).
  'ivr_left',
  'queued',
  'offered',
  'offer_declined',
  'answered',
  'ended',
  'wrap_up_submitted',
  // Written with the Interaction or as corrections.
  'arrived',
  'dialled_by_agent',
  'answer_withdrawn',
  // Notes: what happened during the call that is not a change of state.
  'held',
  'resumed',
  'agent_muted',
  'agent_unmuted',
  'agent_hung_up',
  'agent_leg_failed',
  'customer_linked',
  'customer_dialled',
  'customer_dial_failed',
  'priority_raised',
  'queue_empty',
  'max_wait_reached',
  'supervisor_joined',
  'supervisor_mode_changed',
  'recording_started',
  'recording_paused',
  'recording_resumed',
  'recording_stopped',
  'recording_pause_failed',
  'recording_resume_failed',
  'recording_failed',
  'recording_ready',
  'bot_handoff',
  'bot_handoff_ignored',
  'callback_requested',
  'callback_impossible',
  'callback_queued',
  'callback_cancelled',
  'callback_retry_scheduled',
  'callback_given_up',
  'consult_started',
  'consult_cancelled',
  'consult_ended',
  'transferred',
  'transfer_agent_unavailable',
  'survey_offered',
  'survey_answered',
  'survey_ended',
  'survey_not_offered',
] as const;
export type InteractionEventType = (typeof INTERACTION_EVENT_TYPES)[number];
