import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** Payload of each view, by view name; every payload says when it was computed. */
type Views = Record<string, { at: string }>;

export interface LivePublisherOptions<M extends Views> {
  redis: Redis;
  /** Start of this publisher's keys, shared by every process of the installation. */
  prefix: string;
  /** Computes a view's payload; called at most once per run per view. */
  compute: { [V in keyof M]: () => Promise<M[V]> };
  /** Sends a view's payload to its room (in every process, through the socket.io adapter). */
  emit: <V extends keyof M & string>(view: V, payload: M[V]) => void;
  log: FastifyBaseLogger;
  /** Least milliseconds between two messages of one view, across all processes. Default 1000. */
  minIntervalMs?: number;
  /**
   * Least milliseconds between two computations in this process, which bounds the work when events
   * come fast but change nothing viewers see. Default 200.
   */
  minComputeGapMs?: number;
}

/**
 * Pushes live views to their rooms, coalescing changes: however many ACD events arrive, a view's
 * room gets at most one message per interval, and none when nothing changed. Viewers do not add
 * work: the payload is computed once per run, not per viewer.
 *
 * Across processes a Redis lease per view (SET NX PX) lets one message out per interval; the last
 * payload and its hash live in Redis too, so whichever process publishes next compares with what
 * viewers actually got, and a viewer who joins is sent it at once.
 */
export function createLivePublisher<M extends Views>(options: LivePublisherOptions<M>) {
  const { redis, prefix, compute, emit, log } = options;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  type V = keyof M & string;
  const views = Object.keys(compute) as V[];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const minComputeGapMs = options.minComputeGapMs ?? 200;
  let dirtyAgain = false;
  let closed = false;
  // A change after a quiet spell goes out at once; one during a burst waits for the interval since
  // the last message, not since the last computation (most computations change nothing).
  let lastComputeMs = 0;
  let lastEmitMs = 0;
  /** Until when another process holds a lease this process needs. */
  let blockedUntilMs = 0;

  const key = (kind: 'lease' | 'hash' | 'last', view: V) => `${prefix}${kind}:${view}`;

  function schedule(delayMs: number): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      running = runOnce().finally(() => {
        running = null;
        if (dirtyAgain) {
          dirtyAgain = false;
          markDirty();
        }
      });
    }, delayMs);
  }

  /** Something changed: publish as soon as the interval allows. */
  function markDirty(): void {
    if (running) {
      dirtyAgain = true;
      return;
    }
    const at = Math.max(lastComputeMs + minComputeGapMs, lastEmitMs + minIntervalMs, blockedUntilMs);
    schedule(Math.max(0, at - Date.now()));
  }

  async function runOnce(): Promise<void> {
    lastComputeMs = Date.now();
    let retry = false;
    for (const view of views) {
      try {
        const payload = await compute[view]();
        const { at: _at, ...content } = payload;
        const hash = createHash('sha1').update(JSON.stringify(content)).digest('base64');
        if ((await redis.get(key('hash', view))) === hash) continue;
        const lease = await redis.set(key('lease', view), '1', 'PX', minIntervalMs, 'NX');
        if (lease !== 'OK') {
          // Another process published this view less than an interval ago: try again when its lease ends.
          blockedUntilMs = Math.max(
            blockedUntilMs,
            Date.now() + Math.max(1, await redis.pttl(key('lease', view))),
          );
          retry = true;
          continue;
        }
        emit(view, payload);
        lastEmitMs = Date.now();
        await redis
          .multi()
          .set(key('hash', view), hash, 'EX', 86_400)
          .set(key('last', view), JSON.stringify(payload), 'EX', 86_400)
          .exec();
      } catch (error) {
        log.error({ err: error, view }, 'live view failed');
      }
    }
    if (retry) dirtyAgain = true;
  }

  return {
    markDirty,

    /** The payload viewers last got, for one who joins now; computed when none was published yet. */
    async latest<K extends V>(view: K): Promise<M[K]> {
      const last = await redis.get(key('last', view));
      return last ? (JSON.parse(last) as M[K]) : compute[view]();
    },

    /** Stops scheduling and waits for a run in progress. */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type LivePublisher<M extends Views> = ReturnType<typeof createLivePublisher<M>>;
