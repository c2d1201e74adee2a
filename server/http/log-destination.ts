import { pino, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config.js';
import { privateLogStream } from './log-privacy.js';

/**
 * Where the server's logs go: stdout as JSON lines, or as short readable lines for a person at a
 * terminal (`LOG_FORMAT=pretty`, the demo's default). Phone numbers are masked before either.
 * `target` (tests) receives JSON whatever the format.
 */
export function logDestination(
  config: Pick<Config, 'logFormat'>,
  target?: DestinationStream,
): DestinationStream {
  const sink =
    target ??
    (config.logFormat === 'pretty'
      ? pretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true, sync: true })
      : pino.destination(1));
  return privateLogStream(sink);
}
