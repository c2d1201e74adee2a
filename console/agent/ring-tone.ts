import type { RingPort } from './offer-alerts.js';

/** One cycle of the ring, in seconds: "ding-dong, ding-dong", then quiet until it repeats. */
export const RING_CYCLE_SECONDS = 3;

/** The two tones (E5 and C♯5, a falling major third, as a door chime) and when each starts, in seconds. */
const NOTES: readonly { hz: number; at: number }[] = [
  { hz: 659.25, at: 0 },
  { hz: 554.37, at: 0.35 },
  { hz: 659.25, at: 0.9 },
  { hz: 554.37, at: 1.25 },
];
/** Each note: a soft attack, then it fades like a struck bell and is silent by this time, in seconds. */
const NOTE_SECONDS = 0.8;
const ATTACK_SECONDS = 0.01;
const DECAY_SECONDS = 0.18;
/** Peak level before the volume setting: headroom where the notes overlap. */
const PEAK = 0.6;

/**
 * The samples of one ring cycle at `sampleRate`, looped by the player. Computed rather than loaded:
 * no audio file to ship. A little of the second and third harmonics makes the sine tones warmer.
 */
export function ringSamples(sampleRate: number): Float32Array<ArrayBuffer> {
  const samples = new Float32Array(Math.round(RING_CYCLE_SECONDS * sampleRate));
  const noteLength = Math.round(NOTE_SECONDS * sampleRate);
  for (const { hz, at } of NOTES) {
    const start = Math.round(at * sampleRate);
    for (let i = 0; i < noteLength && start + i < samples.length; i++) {
      const t = i / sampleRate;
      const attack = Math.min(1, t / ATTACK_SECONDS);
      // Fades to zero at the note's end so that the loop's seam cannot click.
      const tail = 1 - i / noteLength;
      const envelope = attack * Math.exp(-t / DECAY_SECONDS) * tail;
      const phase = 2 * Math.PI * hz * t;
      const tone = Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase);
      samples[start + i]! += (PEAK / 1.4) * envelope * tone;
    }
  }
  return samples;
}

/** Volume percent to gain: squared, so that the slider's steps sound even to the ear. */
const gainFor = (volume: number) => (Math.min(100, Math.max(0, volume)) / 100) ** 2;

/** How long a resume may take before we call the audio held back, in ms. */
const RESUME_TIMEOUT_MS = 1000;

/**
 * The ring tone with Web Audio: one cycle rendered into a buffer and looped, so it keeps its rhythm in
 * a background tab where timers are throttled. The AudioContext is created only once the user has
 * interacted with the page (`hasBeenActive`, or inside `unlock` from a gesture): created earlier,
 * browsers start it suspended and log an autoplay warning.
 */
export function webAudioRing(
  hasBeenActive: () => boolean = () => navigator.userActivation?.hasBeenActive ?? false,
): RingPort {
  let context: AudioContext | null = null;
  let buffer: AudioBuffer | null = null;
  let gain: GainNode | null = null;
  let source: AudioBufferSourceNode | null = null;
  /** Counts starts and stops, so that a start still resuming the context gives way to a later stop. */
  let generation = 0;

  async function running(): Promise<boolean> {
    if (!context) return false;
    if (context.state !== 'running') {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, RESUME_TIMEOUT_MS));
      await Promise.race([context.resume().catch(() => undefined), timeout]);
    }
    return context.state === 'running';
  }

  function silence(): void {
    source?.stop();
    source?.disconnect();
    source = null;
  }

  return {
    unlock() {
      context ??= new AudioContext();
      return running();
    },

    async start(volume) {
      const mine = ++generation;
      silence();
      if (!context && hasBeenActive()) context = new AudioContext();
      if (!(await running()) || mine !== generation || !context) return false;
      if (!buffer) {
        buffer = context.createBuffer(
          1,
          Math.round(RING_CYCLE_SECONDS * context.sampleRate),
          context.sampleRate,
        );
        buffer.copyToChannel(ringSamples(context.sampleRate), 0);
      }
      gain ??= context.createGain();
      gain.connect(context.destination);
      gain.gain.value = gainFor(volume);
      source = context.createBufferSource();
      source.buffer = buffer;
      source.loop = true;
      source.connect(gain);
      source.start();
      return true;
    },

    setVolume(volume) {
      if (gain && context) gain.gain.setTargetAtTime(gainFor(volume), context.currentTime, 0.05);
    },

    stop() {
      generation++;
      silence();
    },
  };
}
