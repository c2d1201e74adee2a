import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { systemClock } from '../clock.js';
import { playCalls } from '../testing/calls-month.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { csvLinesStream, csvStream } from './csv.js';
import { createExportRepository } from './export.repository.js';
import {
  interactionColumns,
  interactionLines,
  interactionRows,
  type InteractionsExportQuery,
} from './export.js';
import { reportsServiceOn } from './reports-on-db.js';
import { createReportsRepository } from './reports.repository.js';

const text = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer | string));
  return Buffer.concat(parts).toString();
};

// Names a spreadsheet would run, or that need quotes, or neither.
const CUSTOMERS = [
  '=HYPERLINK("http://evil.example","click")',
  '+1 sale',
  '-minus',
  '@at',
  '\tTab',
  '\rCR',
  'Smith, John',
  'say "hi"',
  'two\r\nlines',
  '张伟',
];

describe('the interactions export written directly', () => {
  let db: Db;
  let world: { queues: number[]; agents: number[]; customers: number[]; codes: number[] };

  beforeAll(async () => {
    db = openDatabase({ file: ':memory:' });
    migrate(db);
    const queues = [makeQueue(db, '-Support'), makeQueue(db, 'Sales, "EU"')];
    const agents = [];
    for (const [username, displayName] of [
      ['ana', '@ana'],
      ['bo', '=bo'],
      ['cy', 'Cy, the "closer"'],
    ] as const)
      agents.push(await makeAgent(db, { username, displayName }));
    const customers = CUSTOMERS.map((name) => makeCustomer(db, { name }));
    const set = Number(
      db.prepare("INSERT INTO wrap_up_code_sets (name) VALUES ('default')").run().lastInsertRowid,
    );
    const codes = ['billing', 'outage'].map((code) =>
      Number(
        db.prepare('INSERT INTO wrap_up_codes (set_id, code, label) VALUES (?, ?, ?)').run(set, code, code)
          .lastInsertRowid,
      ),
    );
    world = { queues, agents, customers, codes };
    // 30 days over both autumn DST changes, with ring-outs, declines, transfers and callbacks.
    playCalls(db, world, new Date('2026-10-10T00:00:00.000Z'), 1500, 11);
  });
  afterAll(() => db.close());

  it('writes the bytes the drill-down rows make through csv-stringify, for any figure, filter and zone', async () => {
    // The ring-outs and declines give some interactions several contributions, which must list once.
    const several = db
      .prepare(
        'SELECT count(*) FROM (SELECT interaction_id FROM report_contributions WHERE rona > 0 OR declined > 0 GROUP BY interaction_id HAVING count(*) > 1)',
      )
      .pluck()
      .get() as number;
    expect(several).toBeGreaterThan(0);
    const reports = reportsServiceOn(db, systemClock);
    const repositories = { exports: createExportRepository(db), reports: createReportsRepository(db) };
    const month = { from: '2026-10-10T00:00:00Z', to: '2026-11-10T00:00:00Z' };
    const queries: InteractionsExportQuery[] = [
      { ...month, timeZone: 'UTC', metric: 'contacts' },
      { ...month, timeZone: 'America/New_York', metric: 'offered', queueId: world.queues[1] },
      { ...month, timeZone: 'Europe/London', metric: 'rona' },
      { ...month, timeZone: 'Asia/Kolkata', metric: 'declined', agentId: world.agents[0] },
      { ...month, timeZone: 'Pacific/Chatham', metric: 'transfers' },
      {
        ...month,
        timeZone: 'Australia/Lord_Howe',
        metric: 'handled',
        direction: 'inbound',
        provider: 'twilio',
      },
      {
        from: '2026-10-20T06:15:00Z',
        to: '2026-10-27T00:00:00Z',
        timeZone: 'Europe/Paris',
        metric: 'abandoned',
      },
      { ...month, timeZone: 'UTC', metric: 'ivrContained', queueId: world.queues[0] },
    ];
    let written = 0;
    for (const query of queries) {
      const columns = interactionColumns(query.timeZone);
      const expected = await text(csvStream(columns, interactionRows(reports, query, 2000)));
      const progress: number[] = [];
      const lines = interactionLines(repositories, query, 7, (rows) => progress.push(rows));
      const actual = await text(
        csvLinesStream(
          columns.map((column) => column.header),
          lines,
        ),
      );
      expect(actual, JSON.stringify(query)).toBe(expected);
      const rows = [...interactionRows(reports, query, 2000)].length;
      expect(progress.at(-1) ?? 0).toBe(rows);
      written += rows;
    }
    expect(written).toBeGreaterThan(2000);
  });

  it('writes every escaped name', async () => {
    const query = {
      from: '2026-10-10T00:00:00Z',
      to: '2026-11-10T00:00:00Z',
      timeZone: 'UTC',
      metric: 'contacts' as const,
    };
    const csv = await text(
      csvLinesStream(
        ['x'],
        interactionLines(
          { exports: createExportRepository(db), reports: createReportsRepository(db) },
          query,
          500,
        ),
      ),
    );
    for (const name of [
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
      "'+1 sale",
      "'-minus",
      "'@at",
      "'\tTab",
      '"\'\rCR"',
      '"Smith, John"',
      '"say ""hi"""',
      '"two\r\nlines"',
      '张伟',
      "'-Support",
      '"Sales, ""EU"""',
      "'@ana",
      "'=bo",
      '"Cy, the ""closer"""',
    ])
      expect(csv, name).toContain(`,${name}`);
  });
});
