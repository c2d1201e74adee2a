import type { FastifySchema } from 'fastify';
import type { Role } from '../auth/auth.schemas.js';

type Roles = readonly Role[] | 'public';

/**
 * The options of a domain's routes: `route(summary, schema)` is `{ schema: { tags, summary, ...schema },
 * config: { roles } }`, so a route states only what is its own. `roles` overrides the domain's default
 * for one route (e.g. admin-only writes). The schema keeps its literal type for the type provider.
 */
export const routeSpec =
  (tags: string[], defaultRoles: Roles) =>
  <S extends FastifySchema>(summary: string, schema: S, roles: Roles = defaultRoles) => ({
    schema: { tags, summary, ...schema },
    config: { roles },
  });
