/**
 * Timeline events of the recording, on the Interaction's history. Apart from the service because the
 * call path notes `start` too, when a queue records every call.
 */
export const RECORDING_EVENTS = {
  start: 'recording_started',
  pause: 'recording_paused',
  resume: 'recording_resumed',
  stop: 'recording_stopped',
  pauseFailed: 'recording_pause_failed',
  resumeFailed: 'recording_resume_failed',
} as const;
