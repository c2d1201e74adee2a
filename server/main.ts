import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ensureRedis } from './local-redis.js';
import { DEMO_PASSWORD, prepareDatabase } from './startup.js';
import { prepareDemoTelephony, startDemoTraffic } from './demo/demo-traffic.js';
import type { Simulation } from '../scripts/simulate/simulation.js';

function banner(config: Config, address: string, simulating: boolean): string {
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
  if (simulating) {
    lines.push(
      '  Simulated calls arrive every few seconds; bot agents agent2…agent7 take some of them.',
      '  Sign in as agent1, open Desk and go Available to take calls yourself. SIMULATE=0 turns this off.',
    );
  }
  return `${lines.join('\n')}\n\n`;
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
  const log = pino({ level: config.logLevel });
  const redisServer = await ensureRedis(config, log);
  await prepareDatabase(config, log);
  const demoTelephony =
    config.demo && config.simulate && !config.twilio ? await prepareDemoTelephony(config) : null;
  if (demoTelephony) config = demoTelephony.config;
  const app = await buildApp(config);
  let simulation: Simulation | null = null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await simulation?.stop({ hangUp: true }).catch(() => undefined);
    await demoTelephony?.fake.close();
    await app.close();
    redisServer?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${config.port}`;
  if (demoTelephony) {
    simulation = await startDemoTraffic({
      config,
      fake: demoTelephony.fake,
      serverBaseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      log,
    });
  }
  process.stdout.write(banner(config, address, simulation !== null));
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
