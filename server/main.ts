import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, DEMO_PASSWORD, loadConfig, type Config } from './config.js';
import { logDestination } from './http/log-destination.js';
import { ensureRedis } from './local-redis.js';
import { prepareDatabase } from './startup.js';

/** `secondsBetweenCalls`: the simulated traffic's pace, null without it. */
function banner(config: Config, address: string, secondsBetweenCalls: number | null): string {
  const lines = [
    '',
    `  CTI console ${config.demo ? 'in DEMO mode (demo data, demo logins)' : 'in production mode'}`,
    `  Console:  ${config.demo ? address : config.publicBaseUrl.origin}/`,
    `  API docs: ${config.demo ? address : config.publicBaseUrl.origin}/docs`,
  ];
  if (config.demo) {
    lines.push(
      `  Logins:   admin, supervisor, agent1 … agent20 — password "${DEMO_PASSWORD}"`,
      '  Demo mode is for trying the product; set PUBLIC_BASE_URL (and DEMO=0) for real use.',
    );
  }
  if (secondsBetweenCalls !== null) {
    lines.push(
      `  Simulated calls arrive about every ${secondsBetweenCalls} s; bot agents agent2…agent7 take some of them.`,
      '  The demo has no audio (simulated callers send no sound); for audio, turn on the SIP edge and',
      '  the softphone (README, "SIP").',
      '  Sign in as agent1, open Desk and go Available to take calls yourself. SIMULATE=0 turns this off.',
    );
  }
  return `${lines.join('\n')}\n\n`;
}

/** The simulator is a tool, not part of the product: it is loaded only when demo mode plays the phone network. */
async function loadDemoTelephony(config: Config) {
  const { prepareDemoTelephony } = await import('../simulator/demo-traffic.js');
  return prepareDemoTelephony(config);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel }, logDestination(config));
  const redisServer = await ensureRedis(config, log);
  await prepareDatabase(config, log);
  const demoTelephony =
    config.demo && config.simulate && !config.twilio ? await loadDemoTelephony(config) : null;
  if (demoTelephony) config = demoTelephony.config;
  const app = await buildApp(config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await demoTelephony?.stop();
    await app.close();
    redisServer?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${config.port}`;
  await demoTelephony?.startTraffic({
    serverBaseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    log,
  });
  process.stdout.write(banner(config, address, demoTelephony?.secondsBetweenCalls ?? null));
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
