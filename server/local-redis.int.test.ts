import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ensureRedis } from './local-redis.js';
import { freePort } from './testing/harness.js';

describe('ensureRedis', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('uses a Redis that answers and starts nothing', async () => {
    const child = await ensureRedis(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }),
      pino({ level: 'silent' }),
    );
    expect(child).toBeNull();
  });

  it('starts a private redis-server with AOF under DATA_DIR when nothing answers locally', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cti-redis-'));
    const port = await freePort();
    const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}` });
    const child = await ensureRedis(config, pino({ level: 'silent' }));
    expect(child).not.toBeNull();
    cleanups.push(() => {
      child?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    const redis = new Redis(config.redisUrl);
    try {
      await redis.set('k', 'v');
      expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await redis.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
    } finally {
      redis.disconnect();
    }
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
  });

  it('does not try to start a remote Redis', async () => {
    const config = loadConfig({ REDIS_URL: 'redis://192.0.2.1:6379' });
    await expect(ensureRedis(config, pino({ level: 'silent' }))).rejects.toThrow(
      /192\.0\.2\.1:6379 does not answer/,
    );
  });
});
