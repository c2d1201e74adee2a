import type { Me } from '../auth/auth.schemas.js';
import type { InteractionAccessRepository } from './interaction-access.repository.js';
import type { InteractionDetail } from './interactions.schemas.js';

/** What one person may see of one Interaction. */
export interface InteractionAccess {
  read: boolean;
  /** The recording reference, on the Interaction and on its timeline. */
  recording: boolean;
}

const FULL: InteractionAccess = { read: true, recording: true };

/**
 * The read policy (README, "Who may read what"). Supervisors and admins read everything. An Agent
 * reads the Interactions of any Customer, because every Agent may open every Customer's 360 view
 * (the customers service has no narrower rule; if it gets one, this follows it), and an unknown
 * caller's Interaction only if they handled it or another part of the same call. A recording is
 * heard by supervisors, admins and the Agent who handled that very Interaction.
 */
export function accessTo(
  actor: Me,
  interaction: { id: number; customerId: number | null },
  access: InteractionAccessRepository,
): InteractionAccess {
  if (actor.role !== 'agent') return FULL;
  const handled = access.handledBy(interaction.id, actor.id);
  return { read: interaction.customerId !== null || handled.call, recording: handled.self };
}

/** The Interaction without its recording reference, wherever it appears. */
export function withoutRecording(interaction: InteractionDetail): InteractionDetail {
  return {
    ...interaction,
    recordingRef: null,
    events: interaction.events.map((event) => {
      if (!('recordingRef' in event.data)) return event;
      const { recordingRef: _hidden, ...data } = event.data;
      return { ...event, data };
    }),
  };
}
