import type { Role } from '../../server/auth/auth.schemas.js';
import type { Db } from '../../db/connection.js';
import { createCustomersRepository } from '../../server/customers/index.js';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../../server/testing/factories.js';

/** The password of every account the fuzzer signs in with. */
export const FUZZ_PASSWORD = 'fuzz-password-1234';

/**
 * Spare accounts per role: fuzzed admin requests may disable, demote or re-password one of them, or a
 * fuzzed sign-out may end its session; the fuzzer then moves on to the next.
 */
export const FUZZ_ACCOUNTS: Record<Role, string[]> = {
  agent: ['fuzz-agent-1', 'fuzz-agent-2', 'fuzz-agent-3'],
  supervisor: ['fuzz-supervisor-1', 'fuzz-supervisor-2'],
  admin: ['fuzz-admin-1', 'fuzz-admin-2'],
};

/** A few rows of everything the routes read, so small fuzzed ids hit rows that exist. */
export async function seedFixtures(db: Db): Promise<void> {
  for (const [role, usernames] of Object.entries(FUZZ_ACCOUNTS) as [Role, string[]][]) {
    for (const username of usernames) await makeAgent(db, { username, role, password: FUZZ_PASSWORD });
  }
  db.exec("INSERT INTO skills (name) VALUES ('support')");
  db.exec('INSERT INTO agent_skills (agent_id, skill_id, proficiency) SELECT id, 1, 3 FROM agents');
  db.prepare("UPDATE agents SET sip_address = 'sip:' || username || '@cti.local'").run();
  const queueId = makeQueue(db, 'Support');
  makeQueue(db, 'Sales');
  db.exec("INSERT INTO wrap_up_code_sets (name) VALUES ('Support codes')");
  db.exec("INSERT INTO wrap_up_codes (set_id, code, label) VALUES (1, 'RESOLVED', 'Resolved')");
  const customers = [
    makeCustomer(db, {
      name: 'Olivia Chen',
      tier: 'gold',
      phones: ['+15005550101'],
      emails: ['o@example.com'],
    }),
    makeCustomer(db, { name: 'Wei Zhang', company: 'Acme', phones: ['+15005550102'] }),
    makeCustomer(db, { name: 'Erased Person', erased: true }),
  ];
  for (const [index, customerId] of customers.entries()) {
    makeInteraction(db, {
      customerId,
      arrivedAt: `2026-11-2${index}T10:00:00.000Z`,
      queueId,
      agentId: 1 + index,
      notes: 'fixture',
      events: [{ type: 'arrived', at: `2026-11-2${index}T10:00:00.000Z` }],
    });
  }
  createCustomersRepository(db).reindexAll();
}
