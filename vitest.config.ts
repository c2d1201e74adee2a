import { configDefaults, defineConfig } from 'vitest/config';

const folders = '{server,console,ivr,queues,db,scripts,simulator}';
// Real-time media between Chromium, rtpengine and SIPp: on two shared cores, the rest of the suite
// running beside it starves rtpengine and Kamailio enough to lose a delete, so it runs after, alone.
const media = ['console/softphone/softphone-media.e2e.test.ts'];

/**
 * Three tiers under one runner (`npx vitest run --project unit|int|e2e`): pure logic in `*.test.ts`,
 * real SQLite and Redis in `*.int.test.ts`, HTTP, socket.io, Kamailio/SIPp and Chromium in
 * `*.e2e.test.ts`; `media`, the real-time media e2e test, alone. `npm test` runs unit, int and e2e in
 * one pool, then media.
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
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [`${folders}/**/*.e2e.test.ts`],
          exclude: [...configDefaults.exclude, ...media],
        },
      },
      { extends: true, test: { name: 'media', include: media } },
    ],
  },
});
