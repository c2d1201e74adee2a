import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER_IMPORT_EVENTS, type ImportProgress } from '../../contracts/customer-import-events.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/realtime.events.js';
import { makeAgent } from '../testing/factories.js';
import { ORIGIN, as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import type { ImportState } from './customer-imports.schemas.js';

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ROWS = 250;
const FILE = `${[
  'name,phone',
  ...Array.from({ length: ROWS }, (_, n) => `Person ${n},+1415${String(3_000_000 + n)}`),
].join('\r\n')}\r\n`;

describe('customer import progress, pushed', () => {
  let ctx: TestContext;
  let origin: string;
  const sockets: ConsoleSocket[] = [];

  beforeEach(async () => {
    ctx = await createTestContext({
      env: { IMPORT_BATCH_ROWS: '100' },
      arrange: async (db) => {
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'sam', role: 'supervisor' });
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await ctx.close();
  });

  /** A console of `username`, and the progress it hears. */
  async function console_(username: string) {
    const cookie = await login(ctx.app, username, 'test-password');
    const socket: ConsoleSocket = connect(origin, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin },
      reconnection: false,
    });
    sockets.push(socket);
    const heard: ImportProgress[] = [];
    socket.on(CUSTOMER_IMPORT_EVENTS.progress, (progress) => heard.push(progress));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    return { heard, request: as(ctx.app, cookie) };
  }

  it('tells the console of whoever started it after each batch and at the end; nobody else; REST still answers', async () => {
    const sue = await console_('sue');
    const sam = await console_('sam');
    const uploaded = await ctx.app.inject({
      method: 'POST',
      url: '/api/customer-imports?fileName=people.csv',
      headers: {
        cookie: await login(ctx.app, 'sue', 'test-password'),
        origin: ORIGIN,
        'content-type': 'text/csv',
      },
      payload: FILE,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { id, proposedMapping } = uploaded.json<ImportState>();
    const started = await sue.request('POST', `/api/customer-imports/${id}/start`, {
      mapping: proposedMapping,
      duplicates: 'skip',
    });
    expect(started.statusCode).toBe(202);

    await until(() => sue.heard.at(-1)?.status === 'done', 'the last push');
    expect(sue.heard.map((progress) => [progress.status, progress.processedRows, progress.created])).toEqual([
      ['running', 100, 100],
      ['running', 200, 200],
      ['running', 250, 250],
      ['done', 250, 250],
    ]);
    expect(sue.heard.at(-1)).toEqual({
      importId: id,
      status: 'done',
      totalRows: ROWS,
      processedRows: ROWS,
      created: ROWS,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      invalid: 0,
    });
    expect(sam.heard).toEqual([]);
    // API clients keep the status route.
    expect((await sue.request('GET', `/api/customer-imports/${id}`)).json()).toMatchObject({
      status: 'done',
      processedRows: ROWS,
    });
  });
});
