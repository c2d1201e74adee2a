import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino, type DestinationStream } from 'pino';
import { agentsRoutes, createAgentsRepository, createAgentsService } from './agents/index.js';
import { createAuditLog } from './audit/index.js';
import { authRoutes, createAuthRepository, createAuthService, createLoginThrottle } from './auth/index.js';
import {
  callQueuesRoutes,
  createCallQueuesRepository,
  createCallQueuesService,
} from './call-queues/index.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createCustomersRepository, createCustomersService, customersRoutes } from './customers/index.js';
import { healthRoutes } from './health.routes.js';
import { boundPort, createOriginPolicy } from './http/origins.js';
import { privateLogStream, requestLogSerializer } from './http/log-privacy.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { SERVER_ERROR, type RequestError } from './http/errors.js';
import {
  createInteractionsRepository,
  createInteractionsService,
  interactionsRoutes,
} from './interactions/index.js';
import { authPlugin } from './plugins/auth.plugin.js';
import { consolePlugin } from './plugins/console.plugin.js';
import { dbPlugin } from './plugins/db.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { redisPlugin } from './plugins/redis.plugin.js';
import { realtimePlugin } from './realtime/realtime.plugin.js';
import { agentRoom, roleRoom, supervisionRoom } from './realtime/realtime.events.js';
import { createAcd, type Acd } from '../queues/index.js';
import { FLOWS_DIR, loadFlows } from '../ivr/index.js';
import { createCallSessions } from './calls/call-sessions.js';
import { createCallsService, type CallsService } from './calls/calls.service.js';
import { attachDesk } from './calls/desk.socket.js';
import { callsRoutes } from './calls/calls.routes.js';
import { CALL_JOBS, type CallJobPayloads } from './calls/calls.jobs.js';
import { createJobs, type Jobs } from './jobs/jobs.js';
import {
  TWILIO_WEBHOOK_PREFIX,
  createCallBinding,
  createCallLegs,
  createCallReaderRouter,
  createTelephonyRouter,
  createTwilioCallReader,
  createTwilioClient,
  createTwilioCommands,
  createTwilioRecordingMedia,
  createTwilioSupervisorCommands,
  createWebhookDedupe,
  createWebhookSteps,
  rememberingPlacedLegs,
  twilioSignaturePlugin,
} from './telephony/index.js';
import { twilioWebhooksRoutes } from './telephony/twilio/twilio-webhooks.routes.js';
import {
  createTwilioReconciler,
  scheduleTwilioReconciliation,
  type TwilioReconciler,
} from './telephony/twilio/twilio-reconcile.js';
import {
  attachSupervision,
  createAgentTimes,
  createAlerts,
  createLivePublisher,
  createSupervisionRepository,
  createSupervisionService,
  createSupervisorLegs,
  emitView,
  liveViewsWithAlerts,
  observeAcd,
  supervisionRoutes,
} from './supervision/index.js';
import { createSipAdapter, sipRoutes } from './telephony/sip/sip-edge.js';
import { createRecordingsService, recordingsRoutes } from './recordings/index.js';
import { reportsPlugin } from './reports/reports.plugin.js';
import { createSoftphoneControl } from './telephony/sip/softphone-control.js';

declare module 'fastify' {
  interface FastifyInstance {
    calls: CallsService;
    acd: Acd;
    jobs: Jobs<CallJobPayloads>;
    /** Replays Twilio callbacks we missed; null without a Twilio account. */
    twilioReconciler: TwilioReconciler | null;
  }
}

export interface BuildAppOptions {
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Where pino writes; defaults to stdout. Tests capture logs here. */
  logStream?: DestinationStream;
  /** Folder of the built console. Default dist/console. */
  consoleRoot?: string;
  /**
   * Run the call path's timers (offers ringing out, timed after-call work, dispatch) every second.
   * Default true; tests that drive time by hand call `app.calls.tick()` instead.
   */
  callTimers?: boolean;
  /** IVR flow folder. Default ivr/flows. */
  flowsDir?: string;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Two validators: query strings and params arrive as text and are coerced; JSON bodies must have the right types. */
function validators() {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({
      coerceTypes,
      useDefaults: true,
      removeAdditional: false,
      allErrors: false,
      strict: false,
    });
    addFormats(ajv);
    return ajv;
  };
  return { body: make(false), text: make('array') };
}

export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-twilio-signature"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      serializers: { req: requestLogSerializer },
      stream: privateLogStream(options.logStream ?? pino.destination(1)),
    },
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: config.bodyLimitBytes,
    // A client that sends its request slowly (or never finishes it) is cut off, not kept for Node's 300 s.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    // Node looks for overdue requests only this often (default 30 s), which would stretch a short timeout.
    http: {
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutSeconds * 500),
      headersTimeout: config.requestTimeoutSeconds * 1000,
    },
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ajv = validators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? ajv.body : ajv.text).compile(schema),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(statusCode)
        .send({ statusCode, error: 'Internal Server Error', message: SERVER_ERROR });
    }
    const message =
      'validation' in error && error.validation
        ? `Invalid ${error.validationContext ?? 'request'}: ${error.message.replace(/^(body|querystring|params)\/?/, '')}`
        : error.message;
    return reply.code(statusCode).send({ statusCode, error: reasonPhrase(statusCode), message });
  });

  // Ecosystem plugins.
  await app.register(fastifyCookie);
  await registerSecurityHeaders(app, config.sip?.wsUrl ?? null);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'CTI console API',
        version: '0.1.0',
        description: 'REST API of the contact-center CTI console',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'cti_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Infrastructure.
  await app.register(dbPlugin, { file: config.databaseFile });
  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(metricsPlugin);

  // Repositories and services, wired by hand.
  const audit = createAuditLog(app.db, clock);
  const auth = createAuthService({
    auth: createAuthRepository(app.db),
    audit,
    clock,
    sessionTtlHours: config.sessionTtlHours,
  });
  const interactions = createInteractionsService({ interactions: createInteractionsRepository(app.db) });
  const customers = createCustomersService({
    customers: createCustomersRepository(app.db),
    interactions,
    audit,
    clock,
    defaultPhoneRegion: config.defaultPhoneRegion,
  });
  const agents = createAgentsService({
    agents: createAgentsRepository(app.db),
    audit,
    clock,
    defaultPhoneRegion: config.defaultPhoneRegion,
    // Wired lazily: the call path and the sockets are built further down.
    access: {
      revoked: async (agentId) => {
        auth.endSessionsOf(agentId);
        await app.calls.signedOut(agentId);
        await app.endAgentSockets(agentId);
      },
      roleChanged: (agentId, role) => app.agentRoleChanged(agentId, role),
    },
  });
  const callQueues = createCallQueuesService({
    callQueues: createCallQueuesRepository(app.db),
    audit,
    clock,
  });

  // Routes.
  const originAllowed = createOriginPolicy(config.allowedOrigins, () => boundPort(app.server));
  await app.register(authPlugin, { auth, originAllowed });
  await app.register(realtimePlugin, {
    auth,
    originAllowed,
    redisPrefix: config.redisPrefix,
    maxMessageBytes: config.bodyLimitBytes,
  });
  await app.register(authRoutes, {
    prefix: '/api/auth',
    auth,
    onSignedOut: async (agentId) => {
      await app.calls.signedOut(agentId);
      await app.endAgentSockets(agentId);
    },
    throttle: createLoginThrottle({
      redis: app.redis,
      prefix: `${config.redisPrefix}login-throttle:`,
      clock,
      log: app.log,
      perIpPerMinute: config.loginRateLimitPerMinute,
      freeAttempts: config.loginFreeAttempts,
      backoffSeconds: 1,
      maxBackoffSeconds: 900,
    }),
    secureCookie: config.publicBaseUrl.protocol === 'https:',
  });
  await app.register(customersRoutes, { prefix: '/api/customers', customers });
  await app.register(interactionsRoutes, { prefix: '/api/interactions', interactions });
  await app.register(agentsRoutes, { prefix: '/api/agents', agents });
  await app.register(callQueuesRoutes, { prefix: '/api', callQueues });
  // The call path: ACD in Redis, IVR flows, the telephony provider, agents' desks over socket.io.
  const installation = (
    app.db.prepare("SELECT value FROM app_meta WHERE key = 'installation_id'").get() as { value: string }
  ).value;
  const callStatePrefix = `${config.redisPrefix}${installation}:`;
  // The supervisors' live views follow every change the call path makes to the ACD and the desks.
  let liveChanged = () => {};
  const acd = observeAcd(createAcd({ redis: app.redis, prefix: `${callStatePrefix}acd:`, clock }), () =>
    liveChanged(),
  );
  const flows = await loadFlows(options.flowsDir ?? FLOWS_DIR);
  const twilioClient = config.twilio ? createTwilioClient(config.twilio) : null;
  // Every leg placed on Twilio is remembered, so its webhooks can be bound to its Interaction.
  const twilioLegs = createCallLegs({ redis: app.redis, prefix: `${callStatePrefix}twilio:` });
  const twilioCommands =
    twilioClient && config.twilio
      ? rememberingPlacedLegs(
          createTwilioCommands({
            client: twilioClient,
            publicBaseUrl: config.publicBaseUrl,
            callerId: config.twilio.callerId,
          }),
          twilioLegs,
        )
      : null;
  const sip = config.sip
    ? createSipAdapter({
        sip: config.sip,
        redis: app.redis,
        prefix: `${callStatePrefix}sip:`,
        softphone: createSoftphoneControl({
          io: app.io,
          agentOf: async (interactionId) => (await acd.getCall(interactionId))?.agentId ?? null,
        }),
        clock,
      })
    : null;
  const telephony =
    twilioCommands || sip ? createTelephonyRouter({ twilio: twilioCommands, sip: sip?.commands }) : null;
  const twilioReader = twilioClient && createTwilioCallReader({ client: twilioClient });
  // Callbacks and other delayed work: BullMQ in the same Redis, run by every server process.
  const jobs = createJobs<CallJobPayloads>(
    { redisUrl: config.redisUrl, prefix: `${callStatePrefix}bull`, queueName: 'calls', log: app.log },
    { [CALL_JOBS.queueCallback]: (job) => calls.queueCallback(job) },
  );
  app.addHook('onReady', async () => jobs.start());
  app.addHook('onClose', async () => jobs.close());
  const calls = createCallsService({
    acd,
    jobs,
    sessions: createCallSessions({ redis: app.redis, prefix: `${callStatePrefix}calls:` }),
    interactions,
    customers,
    callQueues,
    agents,
    telephony,
    callReader: twilioReader && createCallReaderRouter({ twilio: twilioReader }),
    breakReasons: config.breakReasons,
    pushDesk: (agentId, state) => {
      app.io.to(agentRoom(agentId)).emit('desk:state', state);
      liveChanged();
    },
    clock,
    log: app.log,
  });
  app.decorate('calls', calls);
  app.decorate('acd', acd);
  app.decorate('jobs', jobs);
  const recordings = createRecordingsService({
    calls,
    callQueues,
    interactions,
    telephony,
    media: config.twilio ? createTwilioRecordingMedia(config.twilio) : null,
    audit,
    clock,
    log: app.log,
  });
  attachDesk(app.io, calls, app.log, (agent, p, ip) =>
    recordings.control(agent, p.interactionId, p.action, ip),
  );
  const twilioReconciler =
    twilioReader &&
    createTwilioReconciler({
      reader: twilioReader,
      calls,
      acd,
      answered: (interactionId) => interactions.get(interactionId).answeredAt !== null,
      outsideQueues: () => interactions.outsideQueues('twilio'),
      clock,
      log: app.log,
    });
  app.decorate('twilioReconciler', twilioReconciler);
  await app.register(recordingsRoutes, { prefix: '/api', recordings });
  await app.register(callsRoutes, {
    prefix: '/api',
    acd,
    calls,
    ...(twilioReconciler && { providerCheck: () => twilioReconciler.check() }),
  });
  if (twilioReconciler)
    scheduleTwilioReconciliation(app, twilioReconciler, {
      claimKey: `${callStatePrefix}twilio:reconcile`,
      periodic: options.callTimers ?? true,
    });
  if (config.twilio) {
    const { authToken } = config.twilio;
    const dedupe = createWebhookDedupe({ redis: app.redis, prefix: `${callStatePrefix}twilio:webhook:` });
    await app.register(
      async (scope) => {
        await scope.register(twilioSignaturePlugin, { authToken, publicBaseUrl: config.publicBaseUrl });
        await scope.register(twilioWebhooksRoutes, {
          calls,
          flows,
          dedupe,
          steps: createWebhookSteps({ redis: app.redis, prefix: `${callStatePrefix}twilio:step:` }),
          legOfCall: createCallBinding({
            legs: twilioLegs,
            callerLegOf: async (id) => (await calls.session(id))?.providerCallId ?? null,
            interactionOf: (callSid) => calls.interactionOf('twilio', callSid),
          }),
          publicBaseUrl: config.publicBaseUrl,
          clock,
          onSensitiveStep: (interactionId, sensitive) => recordings.sensitiveStep(interactionId, sensitive),
        });
      },
      { prefix: TWILIO_WEBHOOK_PREFIX },
    );
  }
  const supervisionRepository = createSupervisionRepository(app.db);
  const supervision = createSupervisionService({
    acd,
    repository: supervisionRepository,
    agentTimes: createAgentTimes({ redis: app.redis, prefix: `${callStatePrefix}supervision:` }),
    callQueues,
    agents,
    interactions,
    calls,
    audit,
    supervisorTelephony:
      twilioClient && config.twilio
        ? createTwilioSupervisorCommands({ client: twilioClient, callerId: config.twilio.callerId })
        : null,
    supervisorLegs: createSupervisorLegs({ redis: app.redis, prefix: `${callStatePrefix}supervision:` }),
    clock,
    shortAbandonSeconds: config.shortAbandonSeconds,
    timeZone: config.supervisionTimeZone,
  });
  const live = createLivePublisher({
    redis: app.redis,
    prefix: `${callStatePrefix}supervision:live:`,
    compute: liveViewsWithAlerts(
      supervision,
      createAlerts({
        repository: supervisionRepository,
        redis: app.redis,
        prefix: `${callStatePrefix}supervision:alerts:`,
        clock,
        shortAbandonSeconds: config.shortAbandonSeconds,
        notify: (alert) =>
          app.io.to([roleRoom('supervisor'), roleRoom('admin')]).emit('supervision:alert', alert),
        webhook: config.alertWebhook,
        log: app.log,
      }),
      app.log,
    ),
    emit: (view, payload) => emitView(app.io.to(supervisionRoom(view)), view, payload),
    log: app.log,
  });
  liveChanged = live.markDirty;
  attachSupervision(app.io, live, app.log);
  await app.register(supervisionRoutes, { prefix: '/api/supervision', supervision });
  await app.register(reportsPlugin, { shortAbandonSeconds: config.shortAbandonSeconds, clock });
  {
    // Waits grow into alerts without an event, and some changes pass neither through the ACD nor a
    // desk (callback follow-ups, a queue's settings): the views are recomputed every second too.
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(live.markDirty, 1000);
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await live.close();
    });
  }
  if (config.sip && sip) {
    await app.register(sipRoutes, {
      sip: config.sip,
      adapter: sip,
      calls,
      acd,
      queueExists: (name) => callQueues.findByName(name) !== undefined,
      sipAddressOf: (agentId) => agents.get(agentId).sipAddress,
      clock,
    });
  }
  if (options.callTimers ?? true) {
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        calls.tick().catch((error: unknown) => app.log.error({ err: error }, 'call timers failed'));
      }, 1000);
    });
    app.addHook('preClose', async () => clearInterval(timer));
  }

  await app.register(healthRoutes, { db: app.db, redis: app.redis });
  await app.register(consolePlugin, {
    root: options.consoleRoot ?? fileURLToPath(new URL('../dist/console/', import.meta.url)),
  });

  return app;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};
const reasonPhrase = (statusCode: number) => REASONS[statusCode] ?? 'Error';
