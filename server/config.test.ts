import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults and is in demo mode without production config', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'cti:',
      demo: true,
      defaultPhoneRegion: 'US',
      sessionTtlHours: 12,
      bodyLimitBytes: 65_536,
      breakReasons: ['break', 'lunch', 'training', 'meeting'],
    });
    expect(loadConfig({ BREAK_REASONS: 'lunch, coaching,lunch' }).breakReasons).toEqual([
      'lunch',
      'coaching',
    ]);
    expect(config.publicBaseUrl.origin).toBe('http://localhost:3000');
    expect(config.databaseFile).toMatch(/data\/cti\.sqlite$/);
  });

  it('reads the Twilio account and defaults its API to Twilio', () => {
    expect(loadConfig({}).twilio).toBeNull();
    const twilio = loadConfig({
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_CALLER_ID: '+14155550100',
    }).twilio;
    expect(twilio?.apiBaseUrl.origin).toBe('https://api.twilio.com');
  });

  it('reads the supervision settings, with defaults', () => {
    expect(loadConfig({})).toMatchObject({
      shortAbandonSeconds: 5,
      reportWorkers: 1,
      supervisionTimeZone: 'UTC',
      alertWebhook: null,
    });
    expect(loadConfig({ SHORT_ABANDON_SECONDS: '10', SUPERVISION_TIME_ZONE: 'Asia/Shanghai' })).toMatchObject(
      { shortAbandonSeconds: 10, supervisionTimeZone: 'Asia/Shanghai' },
    );
    expect(loadConfig({ REPORT_WORKERS: '0' }).reportWorkers).toBe(0);
    expect(() => loadConfig({ REPORT_WORKERS: '-1' })).toThrow(/REPORT_WORKERS/);
  });

  it('reads the retention defaults, 0 keeping forever', () => {
    expect(loadConfig({}).retention).toEqual({
      recordingsDays: 90,
      notesDays: 730,
      interactionsDays: 730,
      auditLogDays: 365,
      sessionsDays: 30,
    });
    expect(loadConfig({ RETENTION_RECORDINGS_DAYS: '0' }).retention.recordingsDays).toBe(0);
    expect(() => loadConfig({ RETENTION_NOTES_DAYS: '-5' })).toThrow(/RETENTION_NOTES_DAYS/);
  });

  it('enables the SIP edge with its shared secret and refuses values that could break its config', () => {
    expect(loadConfig({}).sip).toBeNull();
    const secret = 's'.repeat(32);
    const sip = loadConfig({
      PORT: '3100',
      SIP_SHARED_SECRET: secret,
      SIP_QUEUE_BY_NUMBER: '100=Support, 200 = Sales',
    }).sip;
    expect(sip).toMatchObject({
      domain: '127.0.0.1',
      sipPort: 5060,
      wsPort: 8088,
      controlPort: 5090,
      wsUrl: 'ws://127.0.0.1:8088',
      defaultQueue: 'Support',
      queueByNumber: { '100': 'Support', '200': 'Sales' },
      floodLimitPerSecond: 50,
      workers: 8,
      transferTrunk: null,
      trustedPeers: [],
      evapiPort: null,
    });
    expect(loadConfig({ SIP_SHARED_SECRET: secret, SIP_EVAPI_PORT: '8448' }).sip?.evapiPort).toBe(8448);
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_EVAPI_PORT: '5090' })).toThrow(
      /SIP_EVAPI_PORT must differ/,
    );
    expect(
      loadConfig({
        SIP_SHARED_SECRET: secret,
        SIP_TRANSFER_TRUNK: 'trunk.example.net:5080',
        SIP_TRUSTED_PEERS: '54.172.60.0/30, 10.1.2.3, 2001:db8::/32',
      }).sip,
    ).toMatchObject({
      transferTrunk: 'trunk.example.net:5080',
      trustedPeers: ['54.172.60.0/30', '10.1.2.3/32', '2001:db8::/32'],
    });
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'twilio.com', '10.0.0.1/8/1', '10.0.0.1"'])
      expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_TRUSTED_PEERS: bad })).toThrow(
        /SIP_TRUSTED_PEERS must be IP addresses or CIDRs/,
      );
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_TRANSFER_TRUNK: 'a b' })).toThrow(
      /SIP_TRANSFER_TRUNK must be a host/,
    );
    expect(sip?.ctiUrl.origin).toBe('http://127.0.0.1:3100');
    expect(() => loadConfig({ SIP_SHARED_SECRET: 'short' })).toThrow(/SIP_SHARED_SECRET must be 32/);
    expect(() => loadConfig({ SIP_SHARED_SECRET: `${'s'.repeat(32)}"` })).toThrow(/SIP_SHARED_SECRET/);
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_DOMAIN: 'a"b' })).toThrow(
      /SIP_DOMAIN must be a host/,
    );
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_WS_PORT: '5060' })).toThrow(/must differ/);
    expect(loadConfig({ SIP_SHARED_SECRET: secret, SIP_WORKERS: '16' }).sip?.workers).toBe(16);
    // A file that exists stands in for the certificate and the key.
    const file = fileURLToPath(import.meta.url);
    expect(
      loadConfig({
        SIP_SHARED_SECRET: secret,
        SIP_DOMAIN: 'sip.example.com',
        SIP_TLS_CERT: file,
        SIP_TLS_KEY: file,
      }).sip,
    ).toMatchObject({
      tls: { certFile: file, keyFile: file, wssPort: 8443 },
      wsUrl: 'wss://sip.example.com:8443',
    });
    expect(loadConfig({ SIP_SHARED_SECRET: secret }).sip?.tls).toBeNull();
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_TLS_CERT: file })).toThrow(
      /SIP_TLS_KEY must be set too/,
    );
    expect(() =>
      loadConfig({ SIP_SHARED_SECRET: secret, SIP_TLS_CERT: file, SIP_TLS_KEY: '/no/such/key.pem' }),
    ).toThrow(/SIP_TLS_KEY names a file that does not exist/);
    expect(() =>
      loadConfig({ SIP_SHARED_SECRET: secret, SIP_TLS_CERT: 'cert.pem', SIP_TLS_KEY: file }),
    ).toThrow(/SIP_TLS_CERT must be an absolute path/);
    expect(() =>
      loadConfig({ SIP_SHARED_SECRET: secret, SIP_TLS_CERT: file, SIP_TLS_KEY: file, SIP_WSS_PORT: '5060' }),
    ).toThrow(/SIP_WSS_PORT must differ/);
    expect(() =>
      loadConfig({
        SIP_SHARED_SECRET: secret,
        SIP_TLS_CERT: file,
        SIP_TLS_KEY: file,
        SIP_EVAPI_PORT: '8443',
      }),
    ).toThrow(/SIP_EVAPI_PORT must differ/);
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_WORKERS: '0' })).toThrow(/SIP_WORKERS/);
    expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_QUEUE_BY_NUMBER: 'Support' })).toThrow(
      /SIP_QUEUE_BY_NUMBER must be number=queue pairs/,
    );
  });

  it('turns the rtpengine media relay on only with its ng address, and refuses a malformed one', () => {
    const secret = 's'.repeat(32);
    expect(loadConfig({ SIP_SHARED_SECRET: secret }).sip?.rtpengine).toBeNull();
    expect(
      loadConfig({ SIP_SHARED_SECRET: secret, SIP_RTPENGINE: 'udp:127.0.0.1:22222' }).sip?.rtpengine,
    ).toEqual({ ngHost: '127.0.0.1', ngPort: 22222, portMin: 30000, portMax: 30999 });
    expect(
      loadConfig({
        SIP_SHARED_SECRET: secret,
        SIP_RTPENGINE: 'udp:media.local:2223',
        SIP_RTP_PORTS: '40000-40999',
      }).sip?.rtpengine,
    ).toMatchObject({ ngHost: 'media.local', portMin: 40000, portMax: 40999 });
    for (const bad of ['127.0.0.1:22222', 'tcp:127.0.0.1:22222', 'udp:127.0.0.1:70000', 'udp:a"b:1']) {
      expect(() => loadConfig({ SIP_SHARED_SECRET: secret, SIP_RTPENGINE: bad })).toThrow(
        /SIP_RTPENGINE must be udp:HOST:PORT/,
      );
    }
    expect(() =>
      loadConfig({
        SIP_SHARED_SECRET: secret,
        SIP_RTPENGINE: 'udp:127.0.0.1:22222',
        SIP_RTP_PORTS: '100-200',
      }),
    ).toThrow(/SIP_RTP_PORTS/);
  });

  it('leaves demo mode when a public URL is configured, unless DEMO says otherwise', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://cti.example.com' }).demo).toBe(false);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://cti.example.com', DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ DEMO: '0' }).demo).toBe(false);
  });

  it('logs readable lines in demo mode and JSON lines otherwise, unless LOG_FORMAT says', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ DEMO: '0' }).logFormat).toBe('json');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://cti.example.com' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ DEMO: '0', LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must use redis: or rediss:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL must be a URL/],
    [{ REDIS_PREFIX: 'has space' }, /REDIS_PREFIX/],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, /PUBLIC_BASE_URL must use http: or https:/],
    [{ PUBLIC_BASE_URL: 'https://x.example/app' }, /PUBLIC_BASE_URL must be an origin/],
    [{ DEMO: 'maybe' }, /DEMO must be 1 or 0/],
    [{ DEFAULT_PHONE_REGION: 'XX' }, /DEFAULT_PHONE_REGION/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT must be one of json, pretty, got "xml"/],
    [{ SESSION_TTL_HOURS: '0' }, /SESSION_TTL_HOURS must be between/],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /BOOTSTRAP_ADMIN_PASSWORD must be at least 12/],
    [{ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }, /TWILIO_AUTH_TOKEN must be set together/],
    [{ TWILIO_ACCOUNT_SID: 'ACnope', TWILIO_AUTH_TOKEN: 'x' }, /TWILIO_ACCOUNT_SID must look like/],
    [{ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x' }, /TWILIO_CALLER_ID must be set/],
    [{ TWILIO_CALLER_ID: '555' }, /TWILIO_CALLER_ID must be an E.164/],
    [{ BREAK_REASONS: 'lunch,Coffee Break' }, /BREAK_REASONS "Coffee Break" must be lowercase/],
    [{ BREAK_REASONS: 'lunch,rona' }, /BREAK_REASONS "rona" is set by the ACD itself/],
    [{ TWILIO_API_BASE_URL: 'ftp://x' }, /TWILIO_API_BASE_URL must use/],
    [{ SHORT_ABANDON_SECONDS: '-1' }, /SHORT_ABANDON_SECONDS must be a whole number/],
    [{ SUPERVISION_TIME_ZONE: 'Mars/Olympus' }, /SUPERVISION_TIME_ZONE must be an IANA time zone/],
    [{ ALERT_WEBHOOK_URL: 'https://chat.example.com/hook' }, /ALERT_WEBHOOK_SECRET must be set together/],
    [{ ALERT_WEBHOOK_URL: 'ftp://x', ALERT_WEBHOOK_SECRET: 'a'.repeat(16) }, /ALERT_WEBHOOK_URL must use/],
    [{ ALERT_WEBHOOK_URL: 'https://x.example', ALERT_WEBHOOK_SECRET: 'short' }, /at least 16 characters/],
  ])('names the variable in the error for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
