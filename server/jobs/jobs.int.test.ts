import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { until, deleteRedisKeys, REDIS_URL } from '../testing/harness.js';
import { createJobs, type JobHandlers, type Jobs } from './jobs.js';

interface Payloads {
  greet: { name: string };
  flaky: { id: number };
}

describe('jobs in BullMQ on the real Redis', () => {
  const prefix = `test:${randomUUID()}:bull`;
  let jobs: Jobs<Payloads> | null = null;

  afterEach(async () => {
    await jobs?.close();
    await deleteRedisKeys(prefix);
  });

  function start(handlers: JobHandlers<Payloads>) {
    const created = createJobs<Payloads>({
      redisUrl: REDIS_URL,
      prefix,
      queueName: 'calls',
      log: pino({ level: 'silent' }),
      attempts: 3,
    });
    jobs = created;
    return { ...created, start: () => created.start(handlers) };
  }

  it('runs each job by its name, once per job id however often it is added', async () => {
    const greeted: string[] = [];
    const queue = start({ greet: async ({ name }) => void greeted.push(name), flaky: async () => {} });
    await queue.add('greet', { name: 'Ana' }, { jobId: 'greet-ana' });
    await queue.add('greet', { name: 'Ana' }, { jobId: 'greet-ana' });
    await queue.add('greet', { name: 'Ben' });
    queue.start();
    await until(() => greeted.length === 2, 'two greetings');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(greeted.sort()).toEqual(['Ana', 'Ben']);
  });

  it('keeps a delayed job pending until its time', async () => {
    const greeted: string[] = [];
    const queue = start({ greet: async ({ name }) => void greeted.push(name), flaky: async () => {} });
    queue.start();
    const before = Date.now();
    await queue.add('greet', { name: 'Later' }, { delayMs: 60_000 });
    const pending = await queue.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ name: 'greet', data: { name: 'Later' } });
    expect(pending[0]!.runAtMs).toBeGreaterThanOrEqual(before + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(greeted).toEqual([]);
  });

  it('retries a job that throws, with backoff', async () => {
    let tries = 0;
    const queue = start({
      greet: async () => {},
      flaky: async () => {
        tries += 1;
        throw new Error('provider unavailable');
      },
    });
    queue.start();
    await queue.add('flaky', { id: 1 });
    await until(() => tries === 1, 'the first try');
    // Exponential backoff from 1 s: the second try comes a second later, the third two after that.
    await until(() => tries === 2, 'the retry');
    expect(await queue.pending()).toHaveLength(1);
  }, 15_000);
});
