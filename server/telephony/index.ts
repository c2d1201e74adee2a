// The call path imports the port (types, `TelephonyCommandError`, `conferenceNameOf`) and nothing
// else, and adapters call into it through `CallEvents`. The Twilio names below are for `buildApp`,
// which wires the adapter and its webhook scope.
export {
  TELEPHONY_PROVIDERS,
  TelephonyCommandError,
  conferenceNameOf,
  type AgentAddress,
  type CallArrival,
  type CallEvents,
  type CallOwner,
  type CallReader,
  type CallTarget,
  type ConnectAgentInput,
  type DialCustomerInput,
  type IvrAnswer,
  type IvrLinks,
  type IvrReply,
  type LegReport,
  type PlacedLeg,
  type RecordingAudio,
  type RecordingMedia,
  type SupervisorCommands,
  type SupervisorMode,
  type TelephonyCommands,
  type TelephonyFailure,
  type TelephonyProvider,
  type TransferDestination,
  type TransferInput,
  type WaitingInfo,
} from './telephony.port.js';
export {
  RedirectingRequestClient,
  TWILIO_DEFAULT_API_BASE_URL,
  createTwilioClient,
  createTwilioCommands,
  type TwilioClientOptions,
  type TwilioCommandsOptions,
} from './twilio/twilio-rest.js';
export { createTwilioCallReader } from './twilio/twilio-call-reader.js';
export { createTwilioSupervisorCommands } from './twilio/twilio-supervisor.js';
export {
  createTwilioRecordingMedia,
  type TwilioRecordingMediaOptions,
} from './twilio/twilio-recording-media.js';
export {
  twilioSignaturePlugin,
  type TwilioSignaturePluginOptions,
} from './twilio/twilio-signature.plugin.js';
export {
  TWILIO_WEBHOOK_PATHS,
  TWILIO_WEBHOOK_PREFIX,
  twilioWebhookUrl,
} from './twilio/twilio-webhook-urls.js';
export { waitingRoomTwiml, type WaitingRoomOptions } from './twilio/waiting-room.twiml.js';
export {
  createCallBinding,
  createCallLegs,
  rememberingPlacedLegs,
  type CallBinding,
  type CallLegs,
} from './twilio/webhook-binding.js';
export { createWebhookSteps, type WebhookSteps } from './twilio/webhook-steps.js';
export {
  createWebhookDedupe,
  dedupeKeyOf,
  type TwilioWebhookKind,
  type WebhookDedupe,
  type WebhookDedupeOptions,
} from './twilio/webhook-dedupe.js';
// The router in front of the adapters, and Kamailio's config and process for `npm run sip` and the SIP
// tests. Like Twilio's webhook routes, the SIP hooks (`sip/sip-edge.ts`) are imported by `buildApp`
// directly: they call the call path, which imports this file.
export { createCallReaderRouter, createTelephonyRouter } from './telephony.router.js';
export { renderKamailioConfig, type KamailioRenderOptions } from './sip/kamailio-config.js';
export { startKamailio, type RunningKamailio } from './sip/kamailio-process.js';
export { startRtpengine, type RunningRtpengine } from './sip/rtpengine-process.js';
