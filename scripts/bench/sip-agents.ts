// The agents of `npm run bench:sip`, in a process of their own so that they do not share the
// server's event loop (real agents sit in their own browsers): SIP.js softphones registered through
// Kamailio (from 127.0.0.2, see SipPhone) and, when session tokens are given, desk bots that accept
// every offer. Started by `startSipAgents`; tells its parent when every agent is ready and stops
// when asked.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SipCredentials } from '../../server/telephony/sip/sip-credentials.js';
import { SipPhone } from '../../server/testing/sip-phone.js';
import { startDeskBots } from './desk-bots.js';

interface AgentsSetup {
  wsUrl: string;
  credentials: SipCredentials[];
  /** The server's origin and one session token per agent, for the desk bots; none: phones only. */
  desks?: { origin: string; tokens: string[]; acceptOffers: boolean };
}

type ToParent =
  { type: 'ready' } | { type: 'failed'; message: string } | { type: 'stopped'; softphoneErrors: number };

/** Starts the agents in a child process; resolves once every one is registered (and available). */
export async function startSipAgents(setup: AgentsSetup): Promise<{ stop: () => Promise<number> }> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(setup)], {
    execArgv: ['--import', 'tsx'],
  });
  const next = () =>
    new Promise<ToParent>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ToParent));
      child.once('exit', (code) => reject(new Error(`the agents' process exited (${code})`)));
    });
  const first = await next();
  if (first.type !== 'ready') {
    child.kill();
    throw new Error(first.type === 'failed' ? first.message : 'the agents did not start');
  }
  return {
    /** Stops the agents; resolves with the SIP.js lost-ACK errors they counted. */
    stop: async () => {
      const stopped = next();
      child.send('stop');
      const message = await stopped;
      return message.type === 'stopped' ? message.softphoneErrors : 0;
    },
  };
}

async function runAgents(setup: AgentsSetup): Promise<void> {
  const send = (message: ToParent) => process.send!(message);
  // SIP.js 0.21 throws from a timer when a call's ACK never comes after the call already ended (a
  // lost ACK under overload): count those instead of letting one softphone's bug end the benchmark.
  let softphoneErrors = 0;
  process.on('uncaughtException', (error) => {
    if (!/Invalid state transition from Terminated/.test(error.message)) throw error;
    softphoneErrors += 1;
  });
  try {
    const phones = await Promise.all(
      setup.credentials.map(async (credentials) => {
        const phone = new SipPhone({ wsUrl: setup.wsUrl, ...credentials });
        const code = await phone.register();
        if (code !== 200) throw new Error(`${credentials.aor} could not register: ${code}`);
        return phone;
      }),
    );
    const sockets = setup.desks
      ? await startDeskBots(setup.desks.origin, setup.desks.tokens, () => undefined, setup.desks.acceptOffers)
      : [];
    process.once('message', () => {
      void (async () => {
        for (const socket of sockets) socket.disconnect();
        await Promise.all(phones.map((phone) => phone.stop()));
        send({ type: 'stopped', softphoneErrors });
        process.exit(0);
      })();
    });
    send({ type: 'ready' });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send)
  await runAgents(JSON.parse(process.argv[2]!) as AgentsSetup);
