import { randomSeed } from './fuzz/prng.js';
import { runFuzz } from './fuzz/run.js';

/**
 * `npm run fuzz`: FUZZ_SEED (default: random, printed), FUZZ_REQUESTS (HTTP requests, default 2000),
 * FUZZ_SOCKET_EVENTS (socket handshakes and events, default a quarter of the requests), FUZZ_VERBOSE=1
 * (the answers each route gave, by status).
 */
const number = (name: string, fallback: number) => {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`${name} must be a whole number, got "${text}"`);
    process.exit(2);
  }
  return value;
};

const seed = number('FUZZ_SEED', randomSeed());
const requests = number('FUZZ_REQUESTS', 2000);
const socketCases = number('FUZZ_SOCKET_EVENTS', Math.ceil(requests / 4));

console.log(`fuzzing with FUZZ_SEED=${seed} FUZZ_REQUESTS=${requests} FUZZ_SOCKET_EVENTS=${socketCases}`);
const summary = await runFuzz({ seed, requests, socketCases, log: (line) => console.log(line) });
if (process.env.FUZZ_VERBOSE === '1') {
  for (const [route, statuses] of Object.entries(summary.statuses))
    console.log(`${route}: ${JSON.stringify(statuses)}`);
}
for (const failure of summary.failures) {
  console.log(`\n${failure.kind} at ${failure.at}\n  ${failure.input}\n  → ${failure.outcome}`);
}
console.log(
  `\n${summary.routes} routes; HTTP: ${summary.httpSent} sent, ${summary.httpRefused} refused (4xx), ` +
    `${summary.serverErrors} 5xx; socket: ${summary.socketSent} sent, ${summary.socketRefused} refused; ` +
    `failures: ${summary.failures.length}`,
);
if (summary.failures.length) {
  console.log(
    `replay: FUZZ_SEED=${seed} FUZZ_REQUESTS=${requests} FUZZ_SOCKET_EVENTS=${socketCases} npm run fuzz`,
  );
  process.exit(1);
}
process.exit(0);
