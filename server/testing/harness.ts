import { createServer } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { buildApp, type BuildAppOptions } from '../app.js';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import { createCustomersRepository } from '../customers/index.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';
/** inject() sends Host: localhost:80, so this is the same origin as the request, as in a browser. */
export const ORIGIN = 'http://localhost:80';

/** A clock the test moves by hand. */
export function manualClock(
  start = new Date('2026-11-22T10:00:00.000Z'),
): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

export interface TestContext {
  config: Config;
  /** A second connection to the test's own SQLite file, for arranging data and checking results. */
  db: Db;
  app: FastifyInstance;
  /** The app's clock: manual unless the test asked for another (a browser needs real time for cookie expiry). */
  clock: ReturnType<typeof manualClock>;
  /** Everything the app logged, as text. */
  logs: () => string;
  close(): Promise<void>;
}

/**
 * A real app on a fresh SQLite file in a temp folder and the real Redis under a key prefix of its
 * own; `close()` removes both.
 */
export async function createTestContext(
  options: {
    env?: Record<string, string>;
    arrange?: (db: Db) => unknown;
    clock?: 'manual' | 'system';
    /** Where the manual clock starts; a browser test starts it at the real now. */
    clockStart?: Date;
    app?: Omit<BuildAppOptions, 'clock' | 'logStream'>;
  } = {},
): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cti-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    REDIS_URL,
    REDIS_PREFIX: `test:${randomUUID()}:`,
    LOG_LEVEL: 'info',
    // Tests read the logs as JSON lines, requests included.
    LOG_FORMAT: 'json',
    // What inject() requests carry as Origin; the console's own origin is configured, never inferred.
    ALLOWED_ORIGINS: ORIGIN,
    ...options.env,
  });
  const db = openDatabase({ file: config.databaseFile });
  migrate(db);
  await options.arrange?.(db);
  // Factories write the tables directly; the search index follows them as after a bulk import.
  createCustomersRepository(db).reindexAll();
  let logText = '';
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  const clock = manualClock(options.clockStart);
  const app = await buildApp(config, {
    clock: options.clock === 'system' ? systemClock : clock,
    logStream,
    ...options.app,
  });
  return {
    config,
    db,
    app,
    clock,
    logs: () => logText,
    async close() {
      await app.close();
      db.close();
      await deleteRedisKeys(config.redisPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the hooks that give each test a fresh `createTestContext(options)` and close it after.
 * The returned context stands for the current test's: read it inside tests and hooks.
 */
export function useTestContext(options: Parameters<typeof createTestContext>[0] = {}): TestContext {
  let current: TestContext | undefined;
  beforeEach(async () => {
    current = await createTestContext(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('useTestContext: read the context inside a test or hook');
    return current;
  };
  return {
    get config() {
      return now().config;
    },
    get db() {
      return now().db;
    },
    get app() {
      return now().app;
    },
    get clock() {
      return now().clock;
    },
    logs: () => now().logs(),
    close: () => now().close(),
  };
}

/** A port nobody listens on now, so PUBLIC_BASE_URL can name the app's own origin before it listens. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `count` distinct free ports: held open together while they are picked, since ports picked one
 * after another can repeat (the kernel may hand a closed one out again).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * Deletes every key under `prefix`, a scanned batch at a time: a benchmark leaves hundreds of
 * thousands, too many for one command's arguments (or the stack that spreads them).
 */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
      if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

/** Signs in through the API and returns the Cookie header value to send with later requests. */
export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: ORIGIN },
    payload: { username, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
  return sessionCookie(response);
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'cti_session');
  if (!cookie) throw new Error('no session cookie set');
  return `cti_session=${cookie.value}`;
}

/** inject() with a session and our Origin, as the console sends it. */
export function as(app: FastifyInstance, cookie: string) {
  return (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { cookie, origin: ORIGIN },
      ...(payload !== undefined && { payload: payload as object }),
    });
}

/** Waits until `condition` holds, polling every 20 ms; fails naming `what` after `ms` (default 10 s). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
