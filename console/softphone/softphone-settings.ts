import { newSoftphoneIdentity, type SoftphoneIdentity } from './softphone.js';

/**
 * What the softphone keeps in this browser: the Agent's device choice and the auto-answer setting
 * (localStorage), and per tab (sessionStorage, which a reload keeps and another tab does not see) its
 * SIP identity, so a reloaded page replaces its registrar binding while a second tab gets its own,
 * and the call the tab had.
 * Storage can be disabled by browser policy: then everything lasts for this page only.
 */
const KEYS = {
  identity: 'cti.softphone.identity',
  autoAnswer: 'cti.softphone.autoAnswer',
  microphone: 'cti.softphone.microphone',
  speaker: 'cti.softphone.speaker',
  call: 'cti.softphone.call',
} as const;

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // See above: not persisting is acceptable.
  }
}

const local = () => localStorage;
const session = () => sessionStorage;

function isIdentity(value: unknown): value is SoftphoneIdentity {
  const candidate = value as Partial<SoftphoneIdentity> | null;
  return (
    typeof candidate?.contactName === 'string' &&
    typeof candidate.viaHost === 'string' &&
    typeof candidate.instanceId === 'string'
  );
}

export const softphoneSettings = {
  /** This browser's identity, made and stored the first time. */
  identity(): SoftphoneIdentity {
    try {
      const stored: unknown = JSON.parse(read(session, KEYS.identity) ?? 'null');
      if (isIdentity(stored)) return stored;
    } catch {
      // A damaged value: replaced below.
    }
    const identity = newSoftphoneIdentity();
    write(session, KEYS.identity, JSON.stringify(identity));
    return identity;
  },
  /** Default on: the Agent already accepted the call on the desk. */
  autoAnswer: (): boolean => read(local, KEYS.autoAnswer) !== 'off',
  setAutoAnswer: (on: boolean) => write(local, KEYS.autoAnswer, on ? 'on' : 'off'),
  microphone: (): string | null => read(local, KEYS.microphone),
  setMicrophone: (deviceId: string | null) => write(local, KEYS.microphone, deviceId),
  speaker: (): string | null => read(local, KEYS.speaker),
  setSpeaker: (deviceId: string | null) => write(local, KEYS.speaker, deviceId),
  /** The Interaction of the call this tab's softphone is in, or null. */
  call: (): number | null => {
    const value = read(session, KEYS.call);
    return value && /^\d+$/.test(value) ? Number(value) : null;
  },
  setCall: (interactionId: number | null) =>
    write(session, KEYS.call, interactionId === null ? null : String(interactionId)),
};

/**
 * The browser's microphones and speakers. Their names show only once the page may use the microphone
 * (after the first call); before that they are listed unnamed.
 */
export async function audioDevices(): Promise<{
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}> {
  const devices = await navigator.mediaDevices?.enumerateDevices().catch(() => []);
  const real = (devices ?? []).filter((device) => device.deviceId && device.deviceId !== 'default');
  return {
    microphones: real.filter((device) => device.kind === 'audioinput'),
    speakers: real.filter((device) => device.kind === 'audiooutput'),
  };
}
