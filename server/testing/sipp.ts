import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './harness.js';

/** The SIPp scenarios shipped as fixtures (callers), by name. */
export const SIPP_SCENARIOS = {
  callerHangsUp: 'caller-hangs-up.xml',
  callerWaitsForBye: 'caller-waits-for-bye.xml',
  callerCancels: 'caller-cancels.xml',
  callerRefused: 'caller-refused.xml',
} as const;

const FIXTURES = fileURLToPath(new URL('../telephony/sip/fixtures/', import.meta.url));

/** Why the SIP tests cannot run here, or null when Kamailio and SIPp are installed. */
export function missingSipPeers(): string | null {
  const missing = ['kamailio', 'sipp'].filter(
    (command) =>
      spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status !== 0,
  );
  return missing.length
    ? `not installed: ${missing.join(', ')} (npm test installs them on Debian as root)`
    : null;
}

export interface SippResult {
  /** 0 when the scenario ran to its end, 1 when a message was unexpected or missing. */
  code: number | null;
  /** Status lines of the responses it received, in order ("SIP/2.0 182 Queued", …). */
  responses: string[];
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
}): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cti-sipp-'));
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
      '-i',
      '127.0.0.1',
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
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
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
    responses: firstLines.filter((line) => line.startsWith('SIP/2.0')).map((line) => line.trim()),
    requests: firstLines.filter((line) => !line.startsWith('SIP/2.0')).map((line) => line.split(' ')[0]!),
    output,
  };
}
