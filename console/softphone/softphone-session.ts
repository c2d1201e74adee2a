/**
 * What the softphone does to one SIP call: hold by re-INVITE, DTMF, REFER, the microphone and the media
 * statistics. Each function takes the session it acts on; the softphone keeps which call that is.
 */
import { SessionState, UserAgent, Web, type Invitation } from 'sip.js';
import type { ReferResult } from '../../contracts/socket.js';

/** How the media of the current call is doing, from WebRTC's own statistics. */
export interface CallQuality {
  /** The RTCPeerConnection's state: `connected` once ICE and DTLS are up. */
  connectionState: RTCPeerConnectionState;
  /** Audio RTP payload and header bytes received and sent so far. */
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsLost: number;
  /** Receive jitter, ms. */
  jitterMs: number;
}

/** How a DTMF digit went: in the media (RFC 4733 telephone-event) or as SIP INFO (application/dtmf-relay). */
export type DtmfMethod = 'rfc4733' | 'sip-info';

const DTMF_TONES = /^[0-9*#A-D]$/;
/** RFC 4733's usual tone length; SIP INFO carries the same. */
const DTMF_DURATION_MS = 100;

/** Audio from microphone `microphoneId` (the browser's default when null), no video. */
export const audioConstraints = (microphoneId: string | null) => ({
  constraints: { audio: microphoneId ? { deviceId: { exact: microphoneId } } : true, video: false },
});

/** SIP.js's WebRTC handler of `session`; null without one (no call, or a media-less handler in tests). */
export function webHandlerOf(session: Invitation | null): Web.SessionDescriptionHandler | null {
  const handler = session?.sessionDescriptionHandler;
  return handler instanceof Web.SessionDescriptionHandler ? handler : null;
}

/**
 * Sends the re-INVITE that puts the caller on hold (a=sendonly) or back (a=sendrecv). `muted` is read once
 * the re-INVITE is accepted, as the Agent may mute meanwhile.
 */
export async function reinvite(
  session: Invitation,
  { onHold, muted, microphoneId }: { onHold: boolean; muted: () => boolean; microphoneId: string | null },
): Promise<void> {
  const reInvite: Web.SessionDescriptionHandlerOptions = {
    ...audioConstraints(microphoneId),
    hold: onHold,
  };
  session.sessionDescriptionHandlerOptionsReInvite = reInvite;
  await new Promise<void>((resolve, reject) => {
    session
      .invite({
        requestDelegate: {
          onAccept: () => resolve(),
          onReject: (response) =>
            reject(new Error(`The re-INVITE was refused: ${response.message.statusCode}`)),
        },
      })
      .catch(reject);
  });
  // The Web handler leaves the tracks as they were; on hold neither side's audio should play.
  webHandlerOf(session)?.enableReceiverTracks(!onHold);
  webHandlerOf(session)?.enableSenderTracks(!onHold && !muted());
}

/** How the media of `session` is doing; null without a session or without WebRTC media. */
export async function readCallQuality(session: Invitation | null): Promise<CallQuality | null> {
  const connection = webHandlerOf(session)?.peerConnection;
  if (!connection) return null;
  const quality: CallQuality = {
    connectionState: connection.connectionState,
    bytesReceived: 0,
    bytesSent: 0,
    packetsReceived: 0,
    packetsLost: 0,
    jitterMs: 0,
  };
  (await connection.getStats()).forEach((report: Record<string, unknown>) => {
    if (report.kind !== 'audio') return;
    if (report.type === 'inbound-rtp') {
      quality.bytesReceived += Number(report.bytesReceived ?? 0) + Number(report.headerBytesReceived ?? 0);
      quality.packetsReceived += Number(report.packetsReceived ?? 0);
      quality.packetsLost += Number(report.packetsLost ?? 0);
      quality.jitterMs = Math.max(quality.jitterMs, Number(report.jitter ?? 0) * 1000);
    } else if (report.type === 'outbound-rtp') {
      quality.bytesSent += Number(report.bytesSent ?? 0) + Number(report.headerBytesSent ?? 0);
    }
  });
  return quality;
}

/**
 * Sends one DTMF digit: in the media (RFC 4733) when there is media to carry it, else as SIP INFO
 * (`application/dtmf-relay`, `Signal=`/`Duration=`), which PBXs and IVRs on the far side also read.
 * The digit is checked before `call` is asked for the established call.
 */
export async function sendDtmfDigit(call: () => Invitation, tone: string): Promise<DtmfMethod> {
  if (!DTMF_TONES.test(tone)) throw new Error(`"${tone}" is not a DTMF digit`);
  const session = call();
  if (session.sessionDescriptionHandler?.sendDtmf(tone, { duration: DTMF_DURATION_MS })) return 'rfc4733';
  await session.info({
    requestOptions: {
      body: {
        contentDisposition: 'render',
        contentType: 'application/dtmf-relay',
        content: `Signal=${tone}\r\nDuration=${DTMF_DURATION_MS}`,
      },
    },
  });
  return 'sip-info';
}

/** Replaces the audio track `connection` sends with one from microphone `deviceId`, without a re-INVITE. */
export async function replaceMicrophone(
  connection: RTCPeerConnection,
  deviceId: string | null,
  enabled: boolean,
): Promise<void> {
  const stream = await navigator.mediaDevices.getUserMedia(audioConstraints(deviceId).constraints);
  const [track] = stream.getAudioTracks();
  const sender = connection.getSenders().find((candidate) => candidate.track?.kind === 'audio');
  if (!track || !sender) return;
  const old = sender.track;
  track.enabled = enabled;
  await sender.replaceTrack(track);
  old?.stop();
}

/** Transfers `session` by REFER to `referTo`; resolves with how the other side answered. */
export async function referCall(session: Invitation, referTo: string): Promise<ReferResult> {
  const target = UserAgent.makeURI(referTo);
  if (!target) return { ok: false, reason: `"${referTo}" is not a SIP address` };
  if (session.state !== SessionState.Established) return { ok: false, reason: 'the call is not answered' };
  return new Promise<ReferResult>((resolve) => {
    session
      .refer(target, {
        requestDelegate: {
          onAccept: () => resolve({ ok: true }),
          onReject: ({ message }) =>
            resolve({ ok: false, reason: `${message.statusCode} ${message.reasonPhrase}` }),
        },
      })
      .catch((error: unknown) => resolve({ ok: false, reason: String(error) }));
  });
}
