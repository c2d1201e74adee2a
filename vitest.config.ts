import { configDefaults, defineConfig } from 'vitest/config';

const folders = '{server,console,ivr,queues,db,scripts,simulator}';

/**
 * Three tiers under one runner (`npx vitest run --project unit|int|e2e`): pure logic in `*.test.ts`,
 * real SQLite and Redis in `*.int.test.ts`, HTTP, socket.io, Kamailio/SIPp and Chromium in
 * `*.e2e.test.ts`. With no `--project`, all three run in one pool, as `npm test` does.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [`${folders}/**/*.test.ts`],
          exclude: [...configDefaults.exclude, '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      { extends: true, test: { name: 'int', include: [`${folders}/**/*.int.test.ts`] } },
      { extends: true, test: { name: 'e2e', include: [`${folders}/**/*.e2e.test.ts`] } },
    ],
  },
});
