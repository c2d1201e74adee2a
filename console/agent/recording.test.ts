import { describe, expect, it } from 'vitest';
import { canStopRecording, recordingToggle } from './recording.js';

describe("the desk's recording controls", () => {
  it.each([
    ['recording', false, 'pause', false],
    ['paused', false, 'resume', false],
    ['off', false, null, false],
    ['off', true, 'start', false],
    ['recording', true, 'pause', true],
    ['paused', true, 'resume', true],
    ['stopped', true, null, false],
  ] as const)('%s (on demand: %s): the button does %s, Stop offered: %s', (state, onDemand, toggle, stop) => {
    expect(recordingToggle({ state, onDemand })).toBe(toggle);
    expect(canStopRecording({ state, onDemand })).toBe(stop);
  });
});
