import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './harness.js';

/** The SIPp scenarios shipped as fixtures (callers), by name. */
export const SIPP_SCENARIOS = {
  callerHangsUp: 'caller-hangs-up.xml',
  callerWaitsForBye: 'caller-waits-for-bye.xml',
  callerCancels: 'caller-cancels.xml',
  /** Gives up after the Agent's softphone rang (180). */
  callerCancelsRinging: 'caller-cancels-ringing.xml',
  callerRefused: 'caller-refused.xml',
  callerStreamsAudio: 'caller-streams-audio.xml',
  callerHeld: 'caller-held.xml',
  /** Not a caller: a peer (Twilio) ringing an Agent's SIP address with X-CTI-Interaction. */
  peerDialsAgent: 'peer-dials-agent.xml',
  /** A bot's peer handing a caller over with X-CTI-Context, who then gives up while queued. */
  peerHandsOff: 'peer-hands-off.xml',
  callerHoldsAndResumes: 'caller-holds-and-resumes.xml',
  callerAnswersReinvite: 'caller-answers-reinvite.xml',
  callerHeldAgentHangsUp: 'caller-held-agent-hangs-up.xml',
  webrtcCallerWaitsForBye: 'webrtc-caller-waits-for-bye.xml',
} as const;

/** What a SIPp caller receives for `count` INVITEs it answers: each INVITE, then its ACK. */
export const invitesAcked = (count: number): string[] =>
  Array.from({ length: count }, () => ['INVITE', 'ACK']).flat();

const FIXTURES = fileURLToPath(new URL('../telephony/sip/fixtures/', import.meta.url));

const notInstalled = (commands: string[]) =>
  commands.filter(
    (command) =>
      spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status !== 0,
  );

/** Why the SIP tests cannot run here, or null when Kamailio and SIPp are installed. */
export function missingSipPeers(): string | null {
  const missing = notInstalled(['kamailio', 'sipp']);
  return missing.length
    ? `not installed: ${missing.join(', ')} (npm test installs them on Debian as root)`
    : null;
}

/**
 * Fails the importing test file when Kamailio, SIPp or one of the `more` commands is missing: a SIP
 * test that skipped would pass without proving anything, so the run says what to install instead.
 */
export function requireSipPeers(...more: string[]): void {
  const missing = notInstalled(['kamailio', 'sipp', ...more]);
  if (missing.length) {
    throw new Error(
      `This test needs ${missing.join(', ')}, not installed here. \`npm test\` (or \`npm run test:int\` / ` +
        '`npm run test:e2e`) installs the system peers with apt-get when run as root on Debian/Ubuntu; ' +
        'elsewhere: sudo apt-get install -y kamailio kamailio-websocket-modules kamailio-utils-modules ' +
        'kamailio-extra-modules kamailio-json-modules kamailio-tls-modules sip-tester rtpengine-daemon ' +
        'iproute2 chromium',
    );
  }
}

export interface SippResult {
  /** 0 when the scenario ran to its end, 1 when a message was unexpected or missing. */
  code: number | null;
  /** Status lines of the responses it received, in order ("SIP/2.0 182 Queued", …). */
  responses: string[];
  /** Every message it received, whole (headers and body), in order. */
  received: string[];
  /** The requests it received ("BYE", …). */
  requests: string[];
  output: string;
}

/**
 * One SIPp caller (one call) against our Kamailio over UDP. Resolves when SIPp exits; start it,
 * do the Agent's side, then await it.
 */
export async function sippCall(options: {
  scenario: keyof typeof SIPP_SCENARIOS;
  proxy: string;
  /** The dialled number (R-URI user). */
  to: string;
  /** The caller's SIP user (From). Default +14155550123. */
  from?: string;
  /** Length of the scenario's `<pause/>`, ms. Default 300. */
  pauseMs?: number;
  /** The start of the INVITE's Call-ID (SIPp adds the call number, process and address). */
  callIdPrefix?: string;
  /** SIPp's own address for signalling and media (any 127.x.y.z is loopback on Linux). Default 127.0.0.1. */
  localAddress?: string;
  /** Files the scenario reads by relative name (audio for `rtp_stream`), put in SIPp's working folder. */
  files?: Record<string, Buffer>;
  /** The `X-CTI-Interaction` of `peerDialsAgent`. Default 1. */
  interaction?: string;
  /** The `X-CTI-Context` of `peerHandsOff` (base64url JSON). Default `e30` (`{}`). */
  context?: string;
  /** Stops SIPp (SIGTERM) when aborted: a test that fails mid-call leaves no caller behind. */
  signal?: AbortSignal;
}): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cti-sipp-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  const trace = join(dir, 'messages.log');
  const port = await freePort();
  const child = spawn(
    'sipp',
    [
      options.proxy,
      '-sf',
      join(FIXTURES, SIPP_SCENARIOS[options.scenario]),
      '-s',
      options.to,
      '-set',
      'caller',
      options.from ?? '+14155550123',
      // SIPp refuses a variable its scenario does not declare.
      ...(options.scenario === 'peerDialsAgent' ? ['-set', 'interaction', options.interaction ?? '1'] : []),
      ...(options.scenario === 'peerHandsOff' ? ['-set', 'context', options.context ?? 'e30'] : []),
      ...(options.callIdPrefix ? ['-cid_str', `${options.callIdPrefix}-%u-%p@%s`] : []),
      '-i',
      options.localAddress ?? '127.0.0.1',
      '-p',
      String(port),
      '-m',
      '1',
      '-d',
      String(options.pauseMs ?? 300),
      '-timeout',
      '30s',
      '-timeout_error',
      '-trace_msg',
      '-message_file',
      trace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, ...(options.signal && { signal: options.signal }) },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // An aborted SIPp is reported through its exit code, like any other.
  child.on('error', (error) => (output += `\n${error.message}`));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  let messages = '';
  try {
    messages = readFileSync(trace, 'utf8');
  } catch {
    // No trace: sipp failed before sending anything; the output says why.
  }
  rmSync(dir, { recursive: true, force: true });
  const received = messages.split(/^-+ [\d-]+ [\d:.]+\n/m).filter((block) => /message received/.test(block));
  const firstLines = received.map(
    (block) => block.split('\n').find((line) => /^\S/.test(line) && !/message received/.test(line)) ?? '',
  );
  return {
    code,
    received,
    responses: firstLines.filter((line) => line.startsWith('SIP/2.0')).map((line) => line.trim()),
    requests: firstLines.filter((line) => !line.startsWith('SIP/2.0')).map((line) => line.split(' ')[0]!),
    output,
  };
}

/**
 * A WAV file SIPp's `rtp_stream` plays as PCMU (payload type 0): `seconds` of a 440 Hz tone, μ-law
 * encoded, 8 kHz mono.
 */
export function pcmuToneWav(seconds: number): Buffer {
  const samples = 8000 * seconds;
  const data = Buffer.alloc(samples);
  for (let index = 0; index < samples; index += 1) {
    data[index] = linearToMulaw(Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / 8000)));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, data]);
}

/** G.711 μ-law of one 16-bit linear sample. */
function linearToMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  while (exponent > 0 && !(magnitude & (0x4000 >> (7 - exponent)))) exponent -= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
