import type { DeskState, RecordingAction } from '../../contracts/desk.js';

/** The recording of the desk's call, as the server sends it. */
export type DeskRecording = NonNullable<DeskState['call']>['recording'];

/**
 * What the recording button (and Alt+P) does now: pause a running recording, resume a paused one,
 * start one on an on-demand queue; null when there is nothing to do (not recorded, or stopped).
 */
export function recordingToggle(recording: DeskRecording): RecordingAction | null {
  switch (recording.state) {
    case 'recording':
      return 'pause';
    case 'paused':
      return 'resume';
    case 'off':
      return recording.onDemand ? 'start' : null;
    case 'stopped':
      return null;
  }
}

/** Stop is offered only where the queue records on demand: elsewhere a recording may pause, not end. */
export const canStopRecording = (recording: DeskRecording): boolean =>
  recording.onDemand && (recording.state === 'recording' || recording.state === 'paused');
