import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** Payload of each view, by view name; every payload says when it was computed. */
type Views = Record<string, { at: string }>;

export interface LivePublisherOptions<M extends Views> {
  redis: Redis;
  /** Start of this publisher's keys, shared by every process of the installation. */
  prefix: string;
  /** Computes a view's payload; called at most once per run. */
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
 * work: the payload is computed once per run, not per viewer. A change after a quiet spell goes out
 * at once; during a burst each view is computed just in time to go out one interval after its last
 * message, so what viewers see is as fresh as the interval allows.
 *
 * Across processes a Redis lease per view (SET NX PX) lets one message out per interval; the last
 * payload and its hash live in Redis too, so whichever process publishes next compares with what
 * viewers actually got, and a viewer who joins is sent it at once.
 */
export function createLivePublisher<M extends Views>(options: LivePublisherOptions<M>) {
  const { redis, prefix, compute, emit, log } = options;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const minComputeGapMs = options.minComputeGapMs ?? 200;
  type V = keyof M & string;
  const views = Object.keys(compute) as V[];
  const state = Object.fromEntries(
    views.map((view) => [
      view,
      {
        /** Something changed since the view was last computed. */
        dirty: false,
        lastEmitMs: 0,
        /** Until when another process holds this view's lease. */
        blockedUntilMs: 0,
        /** How long computing the view takes lately, to start it that much before it may go out. */
        computeMs: 0,
      },
    ]),
  ) as Record<V, { dirty: boolean; lastEmitMs: number; blockedUntilMs: number; computeMs: number }>;
  let lastComputeMs = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const key = (kind: 'lease' | 'hash' | 'last', view: V) => `${prefix}${kind}:${view}`;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function dueAt(view: V): number {
    const s = state[view];
    return Math.max(
      s.lastEmitMs + minIntervalMs - s.computeMs,
      s.blockedUntilMs,
      lastComputeMs + minComputeGapMs,
    );
  }

  function plan(): void {
    if (closed || running) return;
    const dirty = views.filter((view) => state[view].dirty);
    if (dirty.length === 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = null;
        running = runOnce().finally(() => {
          running = null;
          plan();
        });
      },
      Math.max(0, Math.min(...dirty.map(dueAt)) - Date.now()),
    );
  }

  /** Something changed: publish as soon as the interval allows. */
  function markDirty(): void {
    for (const view of views) state[view].dirty = true;
    plan();
  }

  async function publish(view: V): Promise<void> {
    const s = state[view];
    s.dirty = false;
    const started = Date.now();
    const payload = await compute[view]();
    s.computeMs = Math.round(s.computeMs * 0.7 + (Date.now() - started) * 0.3);
    const { at: _at, ...content } = payload;
    const hash = createHash('sha1').update(JSON.stringify(content)).digest('base64');
    if ((await redis.get(key('hash', view))) === hash) return;
    // Computed ahead of time: the message still waits for the interval since the last one.
    const early = s.lastEmitMs + minIntervalMs - Date.now();
    if (early > 0) await sleep(early);
    const lease = await redis.set(key('lease', view), '1', 'PX', minIntervalMs, 'NX');
    if (lease !== 'OK') {
      // Another process published this view less than an interval ago: try again when its lease ends.
      s.blockedUntilMs = Date.now() + Math.max(1, await redis.pttl(key('lease', view)));
      s.dirty = true;
      return;
    }
    emit(view, payload);
    s.lastEmitMs = Date.now();
    await redis
      .multi()
      .set(key('hash', view), hash, 'EX', 86_400)
      .set(key('last', view), JSON.stringify(payload), 'EX', 86_400)
      .exec();
  }

  async function runOnce(): Promise<void> {
    const now = Date.now();
    const due = views.filter((view) => state[view].dirty && dueAt(view) <= now);
    lastComputeMs = now;
    for (const view of due) {
      try {
        await publish(view);
      } catch (error) {
        log.error({ err: error, view }, 'live view failed');
      }
    }
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
