import type { MediaKind } from '../../server/recordings/recordings.schemas.js';

/**
 * Where the console plays an Interaction's recording or voicemail: our server, which checks who may
 * hear it and streams the audio from the provider. The provider's own URL never reaches the browser.
 */
export const mediaUrl = (interactionId: number, kind: MediaKind): string =>
  `/api/interactions/${interactionId}/${kind}`;
