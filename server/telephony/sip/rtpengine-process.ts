import type { RtpengineConfig } from '../../config.js';
import { startDaemon, type RunningDaemon } from './daemon-process.js';
import { rtpengineCommand } from './rtpengine-ng.js';

export type RunningRtpengine = RunningDaemon;

export interface StartRtpengineOptions extends RtpengineConfig {
  /**
   * rtpengine's `--interface`: the local address media flows through, optionally `local!public` when
   * the host is behind NAT (the public address goes into SDP and ICE candidates).
   */
  mediaInterface: string;
  /**
   * How long a call is kept after Kamailio deletes it, in seconds: it still relays the last packets
   * in flight. Default rtpengine's (30).
   */
  deleteDelaySeconds?: number;
  /** Echo rtpengine's log to this process's stderr. Default false. */
  echo?: boolean;
}

/**
 * Starts rtpengine in the foreground as our child, userspace only (`--table=-1`: no kernel module, so
 * no root and no DKMS), and waits until it answers an ng `ping`.
 */
export async function startRtpengine(options: StartRtpengineOptions): Promise<RunningRtpengine> {
  return startDaemon({
    name: 'rtpengine',
    command: 'rtpengine',
    args: [
      // Not Debian's /etc/rtpengine/rtpengine.conf: its fixed CLI and HTTP ports would collide with
      // another rtpengine on the host (a second test file, the packaged service).
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--table=-1',
      '--no-fallback',
      `--interface=${options.mediaInterface}`,
      `--listen-ng=${options.ngHost}:${options.ngPort}`,
      `--port-min=${options.portMin}`,
      `--port-max=${options.portMax}`,
      // Without a BYE through Kamailio (a call the CTI ends), a call is dropped this long after its media stops.
      '--timeout=30',
      '--log-level=6',
      ...(options.deleteDelaySeconds === undefined ? [] : [`--delete-delay=${options.deleteDelaySeconds}`]),
    ],
    ready: async () =>
      (await rtpengineCommand({ host: options.ngHost, port: options.ngPort }, 'ping', {}, 300)).result ===
      'pong',
    readyMeans: 'answer an ng ping',
    ...(options.echo !== undefined && { echo: options.echo }),
  });
}
