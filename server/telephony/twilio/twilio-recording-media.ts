import { TelephonyCommandError, type RecordingMedia } from '../telephony.port.js';

export interface TwilioRecordingMediaOptions {
  /** `TWILIO_ACCOUNT_SID`. */
  accountSid: string;
  /** `TWILIO_AUTH_TOKEN`. */
  authToken: string;
  /** `TWILIO_API_BASE_URL`, as for REST calls (a fake in tests). */
  apiBaseUrl: URL;
  /** How long Twilio may take to start answering, in ms. Default 15000. */
  timeoutMs?: number;
}

/** Recording SIDs are all our URL takes: nothing else reaches Twilio's path. */
const RECORDING_SID = /^RE[0-9a-f]{32}$/;

/**
 * Twilio's recording media (`/Recordings/{Sid}.mp3`) fetched with the account's credentials. Twilio
 * may require HTTP auth on media URLs, and a raw media URL in a browser would work for anyone who
 * copies it; so the server fetches and streams, and the browser only ever sees our route.
 */
export function createTwilioRecordingMedia({
  accountSid,
  authToken,
  apiBaseUrl,
  timeoutMs = 15_000,
}: TwilioRecordingMediaOptions): RecordingMedia {
  const base = apiBaseUrl.origin + apiBaseUrl.pathname.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const failureOf = (status: number) =>
    status === 401 || status === 403
      ? 'unauthorized'
      : status >= 500 || status === 429
        ? 'unavailable'
        : 'rejected';
  return {
    async fetch(recordingRef, range) {
      if (!RECORDING_SID.test(recordingRef)) return null;
      const url = `${base}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingRef}.mp3`;
      let response: Response;
      try {
        // Twilio may redirect to its media store; fetch drops our Authorization on that hop.
        response = await fetch(url, {
          headers: { authorization, ...(range !== undefined && { range }) },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new TelephonyCommandError('unavailable', 'twilio', `recording media: ${String(error)}`, {
          cause: error,
        });
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status !== 200 && response.status !== 206 && response.status !== 416) {
        await response.body?.cancel();
        throw new TelephonyCommandError(
          failureOf(response.status),
          'twilio',
          `recording media: Twilio answered ${response.status}`,
        );
      }
      const length = response.headers.get('content-length');
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? 'audio/mpeg',
        contentLength: length === null ? null : Number(length),
        contentRange: response.headers.get('content-range'),
        body: response.body,
      };
    },

    async delete(recordingRef) {
      // Anything else is not a recording of ours: there is nothing at Twilio to delete.
      if (!RECORDING_SID.test(recordingRef)) return;
      const url = `${base}/2010-04-01/Accounts/${accountSid}/Recordings/${recordingRef}.json`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'DELETE',
          headers: { authorization },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new TelephonyCommandError('unavailable', 'twilio', `recording delete: ${String(error)}`, {
          cause: error,
        });
      }
      await response.body?.cancel();
      if (response.status === 204 || response.status === 404) return;
      throw new TelephonyCommandError(
        failureOf(response.status),
        'twilio',
        `recording delete: Twilio answered ${response.status}`,
      );
    },
  };
}
