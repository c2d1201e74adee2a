import { io as connect, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  DeskState,
  ServerToClientEvents,
} from '../server/realtime/realtime.events.js';

/**
 * Agents played by bots through the same doors a person uses: they sign in over REST, open the
 * desk's socket.io connection with the session cookie and our Origin, go available, accept (or
 * reject) offers after a human-ish delay and submit a wrap-up with a random code. Talk time is the
 * caller's to decide (the caller engine hangs up); a bot on a call just waits.
 */

export interface BotAgentsOptions {
  /** Where the server listens. */
  serverBaseUrl: string;
  /**
   * The Origin the server accepts (its `PUBLIC_BASE_URL` or `ALLOWED_ORIGINS`). Default: the origin of
   * `serverBaseUrl`, which a server without PUBLIC_BASE_URL accepts on loopback.
   */
  origin?: string;
  usernames: readonly string[];
  password: string;
  /** How long an offer rings on the desk before the bot answers, in ms: [min, max]. Default [300, 1500]. */
  acceptDelayMs?: readonly [number, number];
  /** Accepted for symmetry with the callers' settings; the caller side decides talk time. */
  talkSeconds?: readonly [number, number];
  /** After-call work before submitting the wrap-up, in ms: a number or [min, max]. Default [500, 2000]. */
  wrapUpDelayMs?: number | readonly [number, number];
  /** Share of offers rejected (0–1). Default 0. */
  rejectRate?: number;
  /** How long a bot stays on a break the server put it on (an offer that rang out) before going available, ms. Default 2000. */
  breakMs?: number;
  /** Randomness (0 ≤ x < 1). Default Math.random. */
  random?: () => number;
  /** Where problems are told. Default: nowhere. */
  log?: (message: string) => void;
}

export interface BotStats {
  offers: number;
  accepted: number;
  rejected: number;
  wrapUps: number;
  /** Commands the server refused (ack `ok: false`) or that timed out. */
  refused: number;
}

export interface BotAgent {
  username: string;
  /** The desk as last received. */
  desk: DeskState | null;
  stats: BotStats;
  /** The last refusals, newest last (at most 20). */
  errors: string[];
  connected: boolean;
}

export interface BotAgents {
  bots: BotAgent[];
  /** Every bot's stats added up. */
  totals(): BotStats & { signedIn: number; connected: number };
  /** Sets every bot offline, signs them out and closes their sockets. */
  stop(): Promise<void>;
}

type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckResult = { ok: true } | { ok: false; error: string };

const NOTES = [
  'Customer asked about the invoice.',
  'Explained the plan options.',
  'Resolved on the call.',
  'Will follow up by e-mail.',
  'Password reset done.',
  '',
];
const LOGIN_ATTEMPTS = 10;
const ACK_TIMEOUT_MS = 10_000;

export async function startBotAgents(options: BotAgentsOptions): Promise<BotAgents> {
  const server = new URL(options.serverBaseUrl).origin;
  const origin = options.origin ?? server;
  const random = options.random ?? Math.random;
  const between = ([min, max]: readonly [number, number]) => min + (max - min) * random();
  const acceptDelay = options.acceptDelayMs ?? [300, 1500];
  const wrapUpDelay = options.wrapUpDelayMs ?? [500, 2000];
  const rejectRate = options.rejectRate ?? 0;
  const breakMs = options.breakMs ?? 2000;
  const log = options.log ?? (() => undefined);
  let stopping = false;
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) run();
    }, ms);
    timers.add(timer);
  };

  /**
   * A random code of the queue's and short notes. A callback code gets a time 1–72 hours ahead of
   * the server's clock (the desk's `since`), which need not be ours.
   */
  function wrapUpOf(desk: DeskState, wrapUp: NonNullable<DeskState['wrapUp']>) {
    const code = wrapUp.codes.length > 0 ? wrapUp.codes[Math.floor(random() * wrapUp.codes.length)] : null;
    const now = Math.max(Date.now(), Date.parse(desk.since) || 0);
    const callbackAt =
      code?.action === 'schedule_callback'
        ? new Date(now + (1 + Math.floor(random() * 72)) * 3_600_000).toISOString()
        : undefined;
    return {
      wrapUpCodeId: code?.id ?? null,
      notes: NOTES[Math.floor(random() * NOTES.length)] ?? '',
      ...(callbackAt !== undefined && { callbackAt }),
    };
  }

  /** One bot's session, socket and habits. */
  async function startBot(username: string) {
    const bot: BotAgent = {
      username,
      desk: null,
      stats: { offers: 0, accepted: 0, rejected: 0, wrapUps: 0, refused: 0 },
      errors: [],
      connected: false,
    };
    const cookie = await signIn(username);
    const socket: DeskSocket = connect(server, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin },
      reconnectionDelay: 500,
    });
    const offersSeen = new Set<number>();
    const wrapUpsSeen = new Set<number>();
    let goingAvailable = false;

    const refused = (what: string, error: string) => {
      bot.stats.refused += 1;
      bot.errors.push(`${what}: ${error}`);
      if (bot.errors.length > 20) bot.errors.shift();
      log(`${username} ${what}: ${error}`);
    };

    async function send<E extends keyof ClientToServerEvents>(
      event: E,
      payload: Parameters<ClientToServerEvents[E]>[0],
    ): Promise<boolean> {
      try {
        // socket.io's types for a generic event name do not narrow; the contract is the map above.
        const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
          emitWithAck(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AckResult>;
        };
        const result = await timed.emitWithAck(event, payload);
        if (!result.ok) refused(event, result.error);
        return result.ok;
      } catch (error) {
        refused(event, error instanceof Error ? error.message : String(error));
        return false;
      }
    }

    function goAvailable(): void {
      if (goingAvailable) return;
      goingAvailable = true;
      void send('agent:set-status', { status: 'available' }).finally(() => {
        goingAvailable = false;
      });
    }

    function onDesk(desk: DeskState): void {
      bot.desk = desk;
      if (stopping) return;
      const { offer, wrapUp } = desk;
      if (offer && !offersSeen.has(offer.reservationId)) {
        offersSeen.add(offer.reservationId);
        bot.stats.offers += 1;
        const reject = random() < rejectRate;
        later(between(acceptDelay), () => {
          const reservationId = offer.reservationId;
          void send(reject ? 'offer:reject' : 'offer:accept', { reservationId }).then((ok) => {
            if (ok) bot.stats[reject ? 'rejected' : 'accepted'] += 1;
          });
        });
        return;
      }
      if (wrapUp && !wrapUpsSeen.has(wrapUp.interactionId)) {
        wrapUpsSeen.add(wrapUp.interactionId);
        const delay = typeof wrapUpDelay === 'number' ? wrapUpDelay : between(wrapUpDelay);
        later(delay, () => {
          void send('wrapup:submit', { interactionId: wrapUp.interactionId, ...wrapUpOf(desk, wrapUp) }).then(
            (ok) => {
              if (ok) bot.stats.wrapUps += 1;
              // Timed after-call work may have ended by itself; either way, back to work.
              if (bot.desk?.status !== 'available' && !bot.desk?.offer && !bot.desk?.call) goAvailable();
            },
          );
        });
        return;
      }
      const idle = !offer && !desk.call && !wrapUp;
      if (idle && desk.status === 'offline') goAvailable();
      // An offer that rang out or was rejected puts the agent on a break: come back after a moment.
      if (idle && desk.status === 'break')
        later(breakMs, () => bot.desk?.status === 'break' && goAvailable());
    }

    socket.on('desk:state', onDesk);
    socket.on('connect', () => {
      bot.connected = true;
    });
    socket.on('disconnect', () => {
      bot.connected = false;
    });
    socket.on('session:ended', () => {
      if (!stopping) log(`${username}: the server ended the session`);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new Error(`${username}: ${error.message}`)));
    });
    return {
      bot,
      async stop() {
        // Finish what is on the desk first: the ACD refuses to sign off an agent in wrap-up.
        const desk = bot.desk;
        if (socket.connected && desk?.offer) {
          await send('offer:reject', { reservationId: desk.offer.reservationId });
        }
        if (socket.connected && desk?.wrapUp) {
          const submitted = await send('wrapup:submit', {
            interactionId: desk.wrapUp.interactionId,
            ...wrapUpOf(desk, desk.wrapUp),
          });
          if (submitted) bot.stats.wrapUps += 1;
        }
        if (socket.connected && bot.desk?.status !== 'on_call') {
          await send('agent:set-status', { status: 'offline' });
        }
        await fetch(`${server}/api/auth/logout`, { method: 'POST', headers: { cookie, origin } }).catch(
          () => undefined,
        );
        socket.disconnect();
      },
    };
  }

  /** Signs in; waits out the login rate limit (429) as a patient person would. */
  async function signIn(username: string): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${server}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ username, password: options.password }),
      });
      if (response.status === 429 && attempt < LOGIN_ATTEMPTS) {
        const retryAfter = Number(response.headers.get('retry-after') ?? 5);
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfter) * 1000));
        continue;
      }
      if (response.status !== 200) {
        throw new Error(`${username} could not sign in: ${response.status} ${await response.text()}`);
      }
      await response.arrayBuffer();
      const session = response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0] ?? '')
        .find((cookie) => cookie.startsWith('cti_session='));
      if (!session) throw new Error(`${username} signed in but got no cti_session cookie`);
      return session;
    }
  }

  const started = await Promise.allSettled(options.usernames.map((username) => startBot(username)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  for (const result of started) {
    if (result.status === 'rejected')
      log(String(result.reason instanceof Error ? result.reason.message : result.reason));
  }
  if (running.length === 0 && options.usernames.length > 0) {
    const first = started.find((result) => result.status === 'rejected');
    throw first?.status === 'rejected' ? first.reason : new Error('no bot agent could start');
  }
  const bots = running.map((r) => r.bot);

  return {
    bots,
    totals() {
      const totals = {
        offers: 0,
        accepted: 0,
        rejected: 0,
        wrapUps: 0,
        refused: 0,
        signedIn: bots.length,
        connected: 0,
      };
      for (const { stats, connected } of bots) {
        totals.offers += stats.offers;
        totals.accepted += stats.accepted;
        totals.rejected += stats.rejected;
        totals.wrapUps += stats.wrapUps;
        totals.refused += stats.refused;
        if (connected) totals.connected += 1;
      }
      return totals;
    },
    async stop() {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(running.map((r) => r.stop()));
    },
  };
}
