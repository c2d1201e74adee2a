import formbody from '@fastify/formbody';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import twilio from 'twilio';
import { badRequest, forbidden } from '../../http/errors.js';

export interface TwilioSignaturePluginOptions {
  /** The Twilio account's auth token: the HMAC key of `X-Twilio-Signature`. Never logged. */
  authToken: string;
  /** The public origin Twilio calls (`PUBLIC_BASE_URL`); its path, if any, is ignored. */
  publicBaseUrl: URL;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * Refuses, with 403, every request in its scope that Twilio did not sign, before body validation
 * or a handler runs. Register it first inside the encapsulated scope that holds the Twilio webhook
 * routes, never on the root app:
 *
 * ```ts
 * await app.register(async (scope) => {
 *   await scope.register(twilioSignaturePlugin, { authToken, publicBaseUrl });
 *   await scope.register(twilioWebhookRoutes, …);
 * }, { prefix: TWILIO_WEBHOOK_PREFIX });
 * ```
 *
 * The signed URL is rebuilt from `publicBaseUrl` plus the request's path and exact query string,
 * not from Host or X-Forwarded-*: TLS ends in front of us, so what Twilio called is not what we
 * receive. Form bodies (Twilio's voice webhooks and status callbacks) are signed with their
 * parameters; JSON bodies carry `bodySHA256` in the query and are checked against the raw body.
 *
 * Twilio's connection-override fragment (`#ct=…&rt=…`) never reaches a server, so webhook URLs
 * configured with one may not validate; whether Twilio signs it is unverified.
 */
export const twilioSignaturePlugin = fp<TwilioSignaturePluginOptions>(
  async (app, { authToken, publicBaseUrl }) => {
    if (app.prefix === '') {
      throw new Error(
        'twilioSignaturePlugin must be registered inside the Twilio webhook scope, not globally',
      );
    }
    if (!authToken) throw new Error('twilioSignaturePlugin needs the Twilio auth token');

    if (!app.hasContentTypeParser(FORM)) await app.register(formbody);

    // Keep JSON bodies as the exact text Twilio hashed; parse only once the signature holds.
    const rawJson = new WeakMap<FastifyRequest, string>();
    app.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (request, body, done) => {
      rawJson.set(request, body as string);
      done(null, undefined);
    });

    app.addHook('preValidation', async (request) => {
      const signature = request.headers['x-twilio-signature'];
      const url = publicBaseUrl.origin + request.url;
      const raw = rawJson.get(request);
      let valid = false;
      if (typeof signature === 'string' && signature !== '') {
        valid =
          raw === undefined
            ? twilio.validateRequest(authToken, signature, url, formParams(request))
            : twilio.validateRequestWithBody(authToken, signature, url, raw);
      }
      if (!valid) {
        request.log.warn(
          { url: request.url, signature: typeof signature === 'string' ? 'invalid' : 'missing' },
          'refused a Twilio webhook without a valid signature',
        );
        throw forbidden('This endpoint only accepts requests signed by Twilio (X-Twilio-Signature)');
      }
      if (raw !== undefined) {
        try {
          request.body = JSON.parse(raw) as unknown;
        } catch {
          throw badRequest('The body is not valid JSON');
        }
      }
    });
  },
  { name: 'twilio-signature' },
);

/**
 * The POST parameters Twilio signed: every form field, repeated keys as arrays (formbody keeps
 * them). A GET's parameters are in the URL, already signed there.
 */
function formParams(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return request.method === 'POST' && body !== null && typeof body === 'object'
    ? (body as Record<string, unknown>)
    : {};
}
