import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { JsonSchema } from './values.js';

/** One route of the app, with what its OpenAPI description says it takes (hidden routes: nothing). */
export interface FuzzRoute {
  method: string;
  /** Fastify's path: `:name` parameters, `*` wildcard. */
  path: string;
  params: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  body: JsonSchema | null;
}

export interface RouteCatalog {
  routes: FuzzRoute[];
  /** The OpenAPI document's named schemas, for `$ref`s. */
  refs: Record<string, JsonSchema>;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Reads `printRoutes()`'s tree: each line is a path segment under its parent's, indented four
 * characters per level, with its methods in brackets.
 */
export function parseRouteTree(tree: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const level = match[1]!.length / 4;
    stack.length = level;
    const parent = stack.join('');
    const segment = match[2]!;
    const path = parent === '' || segment.startsWith('/') ? parent + segment : `${parent}/${segment}`;
    stack.push(path.slice(parent.length));
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

/**
 * Every route the server has, from the app itself: built in this process with the server's own
 * environment, listed by Fastify (hidden routes included), described by the OpenAPI document where
 * it can be. A route added tomorrow is fuzzed tomorrow.
 */
export async function enumerateRoutes(env: Record<string, string>): Promise<RouteCatalog> {
  const app = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { callTimers: false });
  try {
    await app.ready();
    const tree = app.printRoutes({ commonPrefix: false });
    const document = app.swagger() as OpenApiDocument;
    const routes = parseRouteTree(tree).map(({ method, path }): FuzzRoute => {
      const openApiPath = path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths?.[openApiPath]?.[method.toLowerCase()] ?? {};
      const params: Record<string, JsonSchema> = {};
      const query: Record<string, JsonSchema> = {};
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path') params[parameter.name] = parameter.schema ?? {};
        if (parameter.in === 'query') query[parameter.name] = parameter.schema ?? {};
      }
      for (const name of path.matchAll(/:(\w+)/g)) params[name[1]!] ??= {};
      const body = operation.requestBody?.content?.['application/json']?.schema ?? null;
      return { method, path, params, query, body };
    });
    return { routes, refs: document.components?.schemas ?? {} };
  } finally {
    await app.close();
  }
}
