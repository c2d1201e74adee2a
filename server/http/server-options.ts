import { LogController, type FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import type { Config } from '../config.js';
import { logDestination } from './log-destination.js';
import { requestLogSerializer } from './log-privacy.js';

/** Fastify's own options: private logs, request ids, and limits that cut slow or large requests off. */
export function serverOptions(config: Config, logStream?: DestinationStream): FastifyHttpOptions<Server> {
  return {
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
      stream: logDestination(config, logStream),
    },
    // A person reading the demo's terminal wants what happened, not a line per webhook and poll.
    logController: new LogController({ disableRequestLogging: config.logFormat === 'pretty' }),
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
  };
}
