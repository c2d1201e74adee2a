import { describe, expect, it } from 'vitest';
import { createRng } from './prng.js';
import { fuzzRequest, type RequestContext } from './requests.js';
import { parseRouteTree, type FuzzRoute } from './routes.js';

// As Fastify prints it (`printRoutes({ commonPrefix: false })`).
const TREE = `├── /docs (GET, HEAD)
│   ├── /static/index.html (GET, HEAD)
│   └── * (HEAD, GET)
├── /api/customers (GET, HEAD, POST)
│   └── /:id (GET, HEAD, PATCH)
│       └── /notes (POST)
└── /health (GET, HEAD)
`;

describe('the fuzzer', () => {
  it('reads every route and method from Fastify’s route tree', () => {
    expect(parseRouteTree(TREE)).toEqual([
      { method: 'GET', path: '/docs' },
      { method: 'GET', path: '/docs/static/index.html' },
      { method: 'GET', path: '/docs/*' },
      { method: 'GET', path: '/api/customers' },
      { method: 'POST', path: '/api/customers' },
      { method: 'GET', path: '/api/customers/:id' },
      { method: 'PATCH', path: '/api/customers/:id' },
      { method: 'POST', path: '/api/customers/:id/notes' },
      { method: 'GET', path: '/health' },
    ]);
  });

  it('sends the same requests for the same seed, so a failure replays', () => {
    const route: FuzzRoute = {
      method: 'PATCH',
      path: '/api/customers/:id',
      params: { id: { type: 'integer', minimum: 1 } },
      query: {},
      body: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } },
    };
    const context: RequestContext = {
      catalog: { routes: [route], refs: {} },
      publicOrigin: 'http://127.0.0.1:3000',
      twilioAuthToken: 'token',
      sipAuthorization: 'Bearer secret',
      cookie: (role) => `cti_session=${role}`,
      bodyLimit: 1000,
    };
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 50 }, () => fuzzRequest(route, context, rng));
    };

    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});
