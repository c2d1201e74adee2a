import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/sbin', '/usr/bin')) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

const INSTALL_HINT =
  'Install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL to a running Redis.';

/**
 * Makes sure Redis answers at REDIS_URL. When it does not and the URL is local, starts a private
 * redis-server (data under DATA_DIR/redis, AOF fsync every second), installing the Debian package
 * first when running as root on Debian/Ubuntu. Returns the child to stop at shutdown, or null.
 */
export async function ensureRedis(config: Config, log: Logger): Promise<ChildProcess | null> {
  if (await answers(config.redisUrl)) return null;
  const url = new URL(config.redisUrl);
  if (!LOOPBACK.has(url.hostname)) {
    throw new Error(`Redis at ${url.host} does not answer. Start it, or point REDIS_URL at one that runs.`);
  }
  let server = onPath('redis-server');
  if (!server) {
    const debian = existsSync('/etc/debian_version');
    if (!debian || process.getuid?.() !== 0)
      throw new Error(
        `Redis does not answer at ${url.host} and redis-server is not installed. ${INSTALL_HINT}`,
      );
    log.warn('redis-server is missing: installing the Debian package redis-server with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
      stdio: 'inherit',
      env,
    });
    if (result.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
      result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
        stdio: 'inherit',
        env,
      });
    }
    server = onPath('redis-server');
    if (result.status !== 0 || !server) throw new Error(`Installing redis-server failed. ${INSTALL_HINT}`);
  }
  const dir = join(config.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = url.port || '6379';
  log.info({ port, dir }, 'Redis does not answer: starting a private redis-server');
  const child = spawn(
    server,
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await answers(config.redisUrl)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`The private redis-server did not start on port ${port}. ${INSTALL_HINT}`);
}
