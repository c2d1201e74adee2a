/** What the benchmarked servers did, summed over them, as their /metrics count it (BENCH_COUNTERS on). */
export interface ServerCounters {
  sqliteStatements: number;
  socketMessagesOut: number;
  socketMessagesIn: number;
  /** Requests to the Twilio webhook routes, whoever sent them (callers or the fake's callbacks). */
  twilioWebhooks: number;
}

const SAMPLE = /^(\w+)(?:\{([^}]*)\})? ([\d.e+-]+)$/;

function countersOf(metrics: string): ServerCounters {
  const counters: ServerCounters = {
    sqliteStatements: 0,
    socketMessagesOut: 0,
    socketMessagesIn: 0,
    twilioWebhooks: 0,
  };
  for (const line of metrics.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const [, name, labels = '', value] = sample;
    if (name === 'cti_sqlite_statements_total') counters.sqliteStatements += Number(value);
    else if (name === 'cti_socketio_messages_total' && labels.includes('direction="out"'))
      counters.socketMessagesOut += Number(value);
    else if (name === 'cti_socketio_messages_total' && labels.includes('direction="in"'))
      counters.socketMessagesIn += Number(value);
    else if (name === 'cti_http_request_duration_seconds_count' && labels.includes('route="/twilio/'))
      counters.twilioWebhooks += Number(value);
  }
  return counters;
}

/** The counters of every server at `origins`, added up. */
export async function readServerCounters(origins: readonly string[]): Promise<ServerCounters> {
  const all = await Promise.all(
    origins.map(async (origin) => countersOf(await (await fetch(`${origin}/metrics`)).text())),
  );
  return all.reduce((sum, one) => ({
    sqliteStatements: sum.sqliteStatements + one.sqliteStatements,
    socketMessagesOut: sum.socketMessagesOut + one.socketMessagesOut,
    socketMessagesIn: sum.socketMessagesIn + one.socketMessagesIn,
    twilioWebhooks: sum.twilioWebhooks + one.twilioWebhooks,
  }));
}
