import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/harness.js';
import { countStatements, type Tally } from '../testing/statement-counter.js';
import { startTwilioCallPath, type TwilioCallPath } from '../testing/twilio-call-path.js';

/**
 * Upper bounds of what one ordinary call asks of SQLite, lowered as the call path does less. 78 today:
 * the closing lifecycle update reads its facts in parts (the nightly pass's reads, for one customer).
 */
const MAX_EXECUTED_PER_CALL = 78;
const MAX_PREPARED_PER_CALL = 0;

/** Figures go to the test's output, beside the benchmarks' (no-console keeps logs out of the app). */
const print = (text: string) => process.stdout.write(`${text}\n`);
const printTally = (title: string, tally: Tally) =>
  print(`${title}\n${tally.map(([sql, n]) => `${String(n).padStart(4)}  ${sql.slice(0, 160)}`).join('\n')}`);

describe('SQLite statements per call', () => {
  let path: TwilioCallPath;
  let counter: ReturnType<typeof countStatements> | undefined;

  afterEach(async () => {
    counter?.restore();
    await path.close();
  });

  /**
   * A known customer calls, waits in Support, ana accepts, answers and talks, the caller hangs up,
   * ana submits her wrap-up and is available again: every webhook and desk command of it.
   */
  async function oneCall() {
    const call = await path.acceptedCall();
    const callbacks = path.callbacks(call);
    path.fake.answer(call.agentLegSid);
    expect((await callbacks.agentAnswered()).statusCode).toBe(204);
    expect((await callbacks.agentJoined()).statusCode).toBe(204);
    await until(() => path.desk.last().call?.answeredAt != null, 'answered on the desk');
    path.fake.endCall(call.callerSid);
    expect((await callbacks.callerEnded()).statusCode).toBe(204);
    expect((await callbacks.agentLegEnded()).statusCode).toBe(204);
    expect((await path.resolveWrapUp(call.id, 'ok')).answer).toEqual({ ok: true });
    await until(
      () => path.desk.last().status === 'available' && path.desk.last().wrapUp === null,
      'ana available again',
    );
    expect(path.interaction(call.id)).toMatchObject({ state: 'completed', outcome: 'answered' });
  }

  it('an ordinary inbound Twilio call runs few statements, each prepared before the call', async () => {
    path = await startTwilioCallPath();
    await path.desk.command('agent:set-status', { status: 'available' });
    counter = countStatements(path.app.db);
    const figures: { executed: number; prepared: number }[] = [];
    // The first call may warm what a process does once; the second is what every call costs.
    for (const label of ['first call', 'second call']) {
      counter.start();
      await oneCall();
      counter.stop();
      figures.push({ executed: counter.executed(), prepared: counter.prepared() });
      print(`${label}: ${counter.executed()} statements executed, ${counter.prepared()} prepared`);
      printTally('executed:', counter.executedBySql());
      printTally('prepared:', counter.preparedBySql());
    }
    const steady = figures[1]!;
    expect(steady.executed).toBeLessThanOrEqual(MAX_EXECUTED_PER_CALL);
    expect(steady.prepared).toBeLessThanOrEqual(MAX_PREPARED_PER_CALL);
  });
});
