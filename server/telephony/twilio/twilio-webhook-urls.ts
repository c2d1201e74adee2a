/**
 * Where Twilio calls us back. One list so the REST adapter, the TwiML builders and the webhook
 * routes agree on every path; all of them live under `TWILIO_WEBHOOK_PREFIX`, the scope the
 * signature plugin guards.
 */
export const TWILIO_WEBHOOK_PREFIX = '/twilio';

export const TWILIO_WEBHOOK_PATHS = {
  /** The IVR's Gather and Redirect actions; `step` numbers the caller's answers. */
  ivr: `${TWILIO_WEBHOOK_PREFIX}/ivr`,
  /** Call progress of the legs we place (Agents, transfer destinations). */
  callStatus: `${TWILIO_WEBHOOK_PREFIX}/call-status`,
  /** Conference events: start, end, join, leave, hold. */
  conferenceStatus: `${TWILIO_WEBHOOK_PREFIX}/conference-status`,
  recordingStatus: `${TWILIO_WEBHOOK_PREFIX}/recording-status`,
  /** The conference's wait URL: the caller's place and expected wait, then music, on a loop. */
  wait: `${TWILIO_WEBHOOK_PREFIX}/wait`,
  /** Where a caller who waited too long is sent: voicemail or a callback offer. */
  maxWait: `${TWILIO_WEBHOOK_PREFIX}/max-wait`,
  /** The caller's `<Dial>` action: the bridge ended, the Agent left; the survey starts or the call ends. */
  surveyStart: `${TWILIO_WEBHOOK_PREFIX}/survey-start`,
  /** The caller's answer to a survey question. */
  survey: `${TWILIO_WEBHOOK_PREFIX}/survey`,
} as const;

/**
 * The absolute URL Twilio must call: the public origin (what Twilio sees, not our Host header)
 * plus the path and our own query parameters. Twilio signs this exact string, query included.
 */
export function twilioWebhookUrl(
  publicBaseUrl: URL,
  path: (typeof TWILIO_WEBHOOK_PATHS)[keyof typeof TWILIO_WEBHOOK_PATHS],
  query: Record<string, string | number> = {},
): string {
  const url = new URL(path, publicBaseUrl.origin);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  return url.toString();
}
