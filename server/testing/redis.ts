import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { deleteRedisKeys, REDIS_URL } from './harness.js';

/**
 * The real Redis under a key prefix of each test's own (`test:<uuid>:<namespace>`): connected before
 * each test, its keys deleted after it. Registers the hooks; read `redis` and `prefix` inside tests
 * and later hooks, as both change per test.
 */
export function useTestRedis(namespace: string): { readonly redis: Redis; readonly prefix: string } {
  let redis: Redis | undefined;
  let prefix = '';
  beforeEach(() => {
    redis = new Redis(REDIS_URL);
    prefix = `test:${randomUUID()}:${namespace}`;
  });
  afterEach(async () => {
    redis?.disconnect();
    await deleteRedisKeys(prefix);
  });
  return {
    get redis() {
      if (!redis) throw new Error('useTestRedis: read redis inside a test or hook');
      return redis;
    },
    get prefix() {
      return prefix;
    },
  };
}

/** A promise the test settles when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
