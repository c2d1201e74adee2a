import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RecordedRequest } from '../../simulator/twilio-fake/index.js';

/**
 * Twilio's own OpenAPI description of its REST API (2010-04-01), as shipped in `@twilio/cli-core`.
 * The fake keeps state; this keeps it honest: every request our adapter sends through the official
 * client must be one Twilio documents, with parameters Twilio knows and those it requires.
 */
interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: {
    content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }>;
  };
}

type PathItem = Partial<Record<'get' | 'post' | 'delete', Operation>>;

const SPEC_FILE = 'src/services/twilio-api/twilio_api_v2010.json';

function loadSpec(): { template: string; pattern: RegExp; item: PathItem }[] {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@twilio/cli-core/package.json');
  const spec = JSON.parse(readFileSync(new URL(SPEC_FILE, `file://${packageJson}`), 'utf8')) as {
    paths: Record<string, PathItem>;
  };
  return Object.entries(spec.paths).map(([template, item]) => ({
    template,
    // `{Sid}` is one path segment; `.json` is literal.
    pattern: new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    item,
  }));
}

let paths: ReturnType<typeof loadSpec> | undefined;

/** What is wrong with a request by Twilio's description of its API; empty when nothing is. */
export function twilioContractViolations(request: RecordedRequest): string[] {
  paths ??= loadSpec();
  const where = `${request.method} ${request.path}`;
  const path = paths.find((candidate) => candidate.pattern.test(request.path));
  if (!path) return [`${where}: no such path in Twilio's API`];
  const operation = path.item[request.method.toLowerCase() as keyof PathItem];
  if (!operation) return [`${where}: ${path.template} has no ${request.method}`];
  const problems: string[] = [];
  const queryNames = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of Object.keys(request.query)) {
    if (!queryNames.has(name)) problems.push(`${where}: unknown query parameter ${name}`);
  }
  if (request.method === 'POST') {
    const schema = operation.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
    const known = new Set(Object.keys(schema?.properties ?? {}));
    for (const name of Object.keys(request.form)) {
      if (!known.has(name)) problems.push(`${where}: unknown parameter ${name}`);
    }
    for (const name of schema?.required ?? []) {
      if (!(name in request.form)) problems.push(`${where}: missing required parameter ${name}`);
    }
  }
  return problems;
}
