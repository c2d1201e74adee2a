/**
 * A server process for the import crash test (server/customer-imports/import-crash.int.test.ts). It
 * builds the app on the test's SQLite file and Redis prefix, read from the environment as main.ts
 * reads them, starts upload `IMPORT_ID` with its proposed mapping as `IMPORT_USER`, prints
 * "started" and runs the import until the test kills it. A process of its own, so that a SIGKILL
 * stops it between any two statements, as a crash or the OOM killer would.
 */
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { ImportState } from '../customer-imports/customer-imports.schemas.js';

async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  const origin = config.publicBaseUrl.origin;
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin },
    payload: { username: process.env.IMPORT_USER, password: 'test-password' },
  });
  const session = signedIn.cookies.find((cookie) => cookie.name === 'cti_session');
  if (!session) throw new Error(`login failed: ${signedIn.statusCode} ${signedIn.body}`);
  const headers = { origin, cookie: `cti_session=${session.value}` };
  const url = `/api/customer-imports/${process.env.IMPORT_ID}`;
  const { proposedMapping } = (await app.inject({ method: 'GET', url, headers })).json<ImportState>();
  const started = await app.inject({
    method: 'POST',
    url: `${url}/start`,
    headers,
    payload: { mapping: proposedMapping, duplicates: 'skip' },
  });
  if (started.statusCode !== 202) throw new Error(`start failed: ${started.statusCode} ${started.body}`);
  process.stdout.write('started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
