import fastifyCookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { FLOWS_DIR } from '../ivr/index.js';
import { agentsPlugin } from './agents/agents.plugin.js';
import { apiTokensPlugin } from './api-tokens/api-tokens.plugin.js';
import { auditPlugin } from './audit/audit.plugin.js';
import { loginPlugin } from './auth/login.plugin.js';
import { callQueuesPlugin } from './call-queues/call-queues.plugin.js';
import { callsPlugin } from './calls/calls.plugin.js';
import { deskPlugin } from './calls/desk.plugin.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { customerDataPlugin } from './customer-data/index.js';
import { customerValuePlugin } from './customer-value/index.js';
import { crmLookupPlugin } from './crm-lookup/index.js';
import { customerMergePlugin } from './customer-merge/index.js';
import { customerImportsPlugin } from './customer-imports/index.js';
import { customersPlugin } from './customers/customers.plugin.js';
import { followUpRulesPlugin, followUpsPlugin } from './follow-ups/index.js';
import { segmentsPlugin } from './segments/segments.plugin.js';
import { healthRoutes } from './health.routes.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { serverOptions } from './http/server-options.js';
import { interactionsPlugin } from './interactions/interactions.plugin.js';
import { lifecyclePlugin } from './lifecycle/index.js';
import { acdPlugin } from './plugins/acd.plugin.js';
import type { AppContext } from './plugins/app-context.js';
import { authPlugin } from './plugins/auth.plugin.js';
import { callStatePlugin } from './plugins/call-state.plugin.js';
import { consolePlugin } from './plugins/console.plugin.js';
import { dbPlugin } from './plugins/db.plugin.js';
import { httpPlugin } from './plugins/http.plugin.js';
import { jobsPlugin } from './plugins/jobs.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { openApiPlugin } from './plugins/openapi.plugin.js';
import { redisPlugin } from './plugins/redis.plugin.js';
import { realtimePlugin } from './realtime/realtime.plugin.js';
import { recordingsPlugin } from './recordings/recordings.plugin.js';
import { reportsPlugin } from './reports/reports.plugin.js';
import { retentionPlugin } from './retention/index.js';
import { supervisionPlugin } from './supervision/supervision.plugin.js';
import { surveysPlugin } from './surveys/index.js';
import { sipPlugin } from './telephony/sip/sip.plugin.js';
import { telephonyPlugin } from './telephony/telephony.plugin.js';
import { twilioPlugin } from './telephony/twilio/twilio.plugin.js';
import { webhookOutboxPlugin, webhooksPlugin } from './webhooks/index.js';

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

/**
 * The whole server, not listening. Each plugin names the plugins it needs, builds its services,
 * decorates what later plugins read and closes what it opened; so the order below is the order of
 * construction, and shutdown runs it backwards: timers and jobs stop before sockets, Redis and the
 * database close.
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config, options.logStream)).withTypeProvider<TypeBoxTypeProvider>();
  const context: AppContext = {
    config,
    clock: options.clock ?? systemClock,
    callTimers: options.callTimers ?? true,
    flowsDir: options.flowsDir ?? FLOWS_DIR,
  };

  // Ecosystem: validation and errors, cookies, security headers, OpenAPI.
  await app.register(httpPlugin);
  await app.register(fastifyCookie);
  await registerSecurityHeaders(app, config.sip?.wsUrl ?? null);
  await app.register(openApiPlugin);

  // Infrastructure: storage, sessions, sockets, the ACD.
  await app.register(metricsPlugin, { countWork: config.benchCounters });
  await app.register(dbPlugin, {
    file: config.databaseFile,
    ...(app.workCounters && { onStatement: app.workCounters.sqliteStatement }),
  });
  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(auditPlugin, context);
  await app.register(webhookOutboxPlugin, context);
  await app.register(authPlugin, context);
  await app.register(realtimePlugin, {
    redisPrefix: config.redisPrefix,
    maxMessageBytes: config.bodyLimitBytes,
    ...(app.workCounters && { onMessage: app.workCounters.socketMessage }),
  });
  await app.register(callStatePlugin, { redisPrefix: config.redisPrefix });
  await app.register(acdPlugin, context);
  await app.register(jobsPlugin, { redisUrl: config.redisUrl });

  // Domains: the CRM, then the call path and what stands on it.
  await app.register(interactionsPlugin);
  await app.register(segmentsPlugin, context);
  await app.register(customersPlugin, context);
  await app.register(customerValuePlugin, context);
  await app.register(lifecyclePlugin, context);
  await app.register(customerMergePlugin, context);
  await app.register(agentsPlugin, context);
  // After agents: an import's progress goes only to a starter who may still see imports.
  await app.register(customerImportsPlugin, context);
  await app.register(callQueuesPlugin, context);
  await app.register(followUpsPlugin, context);
  await app.register(telephonyPlugin, context);
  // Before the call path: a caller stays for the survey when their conversation ends.
  await app.register(surveysPlugin, context);
  await app.register(crmLookupPlugin, context);
  await app.register(callsPlugin, context);
  await app.register(loginPlugin, context);
  await app.register(apiTokensPlugin);
  await app.register(recordingsPlugin, context);
  await app.register(customerDataPlugin, context);
  await app.register(retentionPlugin, context);
  await app.register(followUpRulesPlugin);
  await app.register(webhooksPlugin, context);
  await app.register(twilioPlugin, context);
  await app.register(deskPlugin);
  await app.register(supervisionPlugin, context);
  await app.register(sipPlugin, context);
  await app.register(reportsPlugin, context);

  await app.register(healthRoutes, { db: app.db, redis: app.redis });
  await app.register(consolePlugin, {
    root: options.consoleRoot ?? fileURLToPath(new URL('../dist/console/', import.meta.url)),
  });
  return app;
}
