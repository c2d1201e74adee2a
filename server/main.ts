import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ensureRedis } from './local-redis.js';
import { DEMO_PASSWORD, prepareDatabase } from './startup.js';

function banner(config: Config, address: string): string {
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
  const app = await buildApp(config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    redisServer?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${config.port}`;
  process.stdout.write(banner(config, address));
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
