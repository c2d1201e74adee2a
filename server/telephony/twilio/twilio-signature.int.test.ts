import Fastify, { type FastifyInstance } from 'fastify';
import { createHash, createHmac } from 'node:crypto';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twilioSignaturePlugin } from './twilio-signature.plugin.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC_BASE = 'https://cti.example.com';

/** What Twilio posts when a call arrives (a subset of the standard parameters). */
const inbound = () => ({
  AccountSid: `AC${'0'.repeat(32)}`,
  ApiVersion: '2010-04-01',
  CallSid: `CA${'1'.repeat(32)}`,
  CallStatus: 'ringing',
  Called: '+15559870000',
  Caller: '+15551230000',
  Direction: 'inbound',
  ForwardedFrom: '',
  From: '+15551230000',
  FromCity: 'SAN FRANCISCO',
  To: '+15559870000',
});

describe('twilioSignaturePlugin', () => {
  let app: FastifyInstance;
  let handled: number;

  async function build() {
    const instance = Fastify({ logger: false });
    await instance.register(
      async (scope) => {
        await scope.register(twilioSignaturePlugin, {
          authToken: AUTH_TOKEN,
          publicBaseUrl: new URL(PUBLIC_BASE),
        });
        scope.post('/voice', async (request, reply) => {
          handled += 1;
          const response = new twilio.twiml.VoiceResponse();
          response.say('Thanks for calling');
          return reply.type('text/xml').send(response.toString());
        });
        scope.post('/events', async (request) => {
          handled += 1;
          return { received: request.body };
        });
      },
      { prefix: '/twilio' },
    );
    // Outside the Twilio scope: must not be guarded.
    instance.post('/open', async () => ({ ok: true }));
    return instance;
  }

  beforeEach(async () => {
    handled = 0;
    app = await build();
  });
  afterEach(() => app.close());

  /** Posts a form as Twilio does, signed for `signedUrl` (default: the public URL of `path`). */
  function post(
    path: string,
    params: Record<string, string | string[]>,
    options: { signedUrl?: string; signature?: string | null; body?: URLSearchParams; host?: string } = {},
  ) {
    const signature =
      options.signature === undefined
        ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, options.signedUrl ?? PUBLIC_BASE + path, params)
        : options.signature;
    const body = options.body ?? formBody(params);
    return app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        host: options.host ?? 'cti.example.com',
        ...(signature !== null && { 'x-twilio-signature': signature }),
      },
      payload: body.toString(),
    });
  }

  it('lets a request Twilio signed for the public URL reach the route', async () => {
    const response = await post('/twilio/voice', inbound());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.body).toContain('<Say>Thanks for calling</Say>');
    expect(handled).toBe(1);
  });

  it('refuses a tampered parameter with 403 JSON, before the route runs', async () => {
    const params = inbound();
    const body = formBody(params);
    body.set('From', '+19999999999');
    const response = await post('/twilio/voice', params, { body });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      statusCode: 403,
      message: expect.stringMatching(/X-Twilio-Signature/),
    });
    expect(handled).toBe(0);
  });

  it('refuses a request without the signature header', async () => {
    const response = await post('/twilio/voice', inbound(), { signature: null });
    expect(response.statusCode).toBe(403);
    expect(handled).toBe(0);
  });

  it('refuses a signature made with another auth token', async () => {
    const params = inbound();
    const signature = twilio.getExpectedTwilioSignature(
      'another-token',
      `${PUBLIC_BASE}/twilio/voice`,
      params,
    );
    const response = await post('/twilio/voice', params, { signature });
    expect(response.statusCode).toBe(403);
    expect(handled).toBe(0);
  });

  it('validates against PUBLIC_BASE_URL, not the Host header the proxy passes on', async () => {
    const params = inbound();
    const behindProxy = await post('/twilio/voice', params, { host: '10.0.0.7:3000' });
    expect(behindProxy.statusCode).toBe(200);

    const signedForHost = await post('/twilio/voice', params, {
      host: '10.0.0.7:3000',
      signedUrl: 'http://10.0.0.7:3000/twilio/voice',
    });
    expect(signedForHost.statusCode).toBe(403);
    expect(handled).toBe(1);
  });

  it('signs the exact query string', async () => {
    const path = '/twilio/voice?tenant=acme&q=a%20b';
    expect((await post(path, inbound())).statusCode).toBe(200);
    expect(
      (await post(path, inbound(), { signedUrl: `${PUBLIC_BASE}/twilio/voice?tenant=acme` })).statusCode,
    ).toBe(403);
    expect(
      (await post('/twilio/voice?tenant=evil&q=a%20b', inbound(), { signedUrl: PUBLIC_BASE + path }))
        .statusCode,
    ).toBe(403);
    expect(handled).toBe(1);
  });

  it('keeps repeated form keys and empty values as Twilio signed them', async () => {
    const params = { ...inbound(), StatusCallbackEvent: ['initiated', 'answered'], ForwardedFrom: '' };
    expect((await post('/twilio/voice', params)).statusCode).toBe(200);
  });

  it('accepts a signature made with the default port in the URL', async () => {
    const response = await post('/twilio/voice', inbound(), {
      signedUrl: 'https://cti.example.com:443/twilio/voice',
    });
    expect(response.statusCode).toBe(200);
  });

  it('checks JSON bodies against bodySHA256 and hands the route the parsed body', async () => {
    const body = JSON.stringify({ event: 'participant-join', sequence: 3 });
    const hash = createHash('sha256').update(body).digest('hex');
    const path = `/twilio/events?bodySHA256=${hash}`;
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_BASE + path, {});
    const send = (payload: string) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
        payload,
      });

    const good = await send(body);
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ received: { event: 'participant-join', sequence: 3 } });

    const tampered = await send(JSON.stringify({ event: 'participant-join', sequence: 4 }));
    expect(tampered.statusCode).toBe(403);
    expect(handled).toBe(1);
  });

  it('guards only its own scope', async () => {
    const response = await app.inject({ method: 'POST', url: '/open', payload: {} });
    expect(response.statusCode).toBe(200);
  });

  it('refuses to be registered on the root app, where it would guard every route', async () => {
    const root = Fastify({ logger: false });
    await expect(
      root
        .register(twilioSignaturePlugin, { authToken: AUTH_TOKEN, publicBaseUrl: new URL(PUBLIC_BASE) })
        .ready(),
    ).rejects.toThrow(/inside the Twilio webhook scope/);
    await root.close();
  });

  describe("Twilio's known-answer vector (twilio-node spec/validation.spec.js)", () => {
    const token = '12345';
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    };
    const expected = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

    it('is reproduced by a bare HMAC-SHA1 over the URL and the sorted name+value pairs', () => {
      const data =
        url +
        Object.keys(params)
          .sort()
          .map((name) => name + params[name as keyof typeof params])
          .join('');
      expect(createHmac('sha1', token).update(data, 'utf8').digest('base64')).toBe(expected);
    });

    it('is accepted by the plugin', async () => {
      const vectorApp = Fastify({ logger: false });
      await vectorApp.register(
        async (scope) => {
          await scope.register(twilioSignaturePlugin, {
            authToken: token,
            publicBaseUrl: new URL('https://mycompany.com'),
          });
          scope.post('/', async () => {
            handled += 1;
            return 'ok';
          });
        },
        { prefix: '/myapp.php' },
      );
      try {
        const response = await vectorApp.inject({
          method: 'POST',
          url: '/myapp.php?foo=1&bar=2',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': expected },
          payload: formBody(params).toString(),
        });
        expect(response.statusCode).toBe(200);
        expect(handled).toBe(1);
      } finally {
        await vectorApp.close();
      }
    });
  });
});

function formBody(params: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return body;
}
