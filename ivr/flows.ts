import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { TLocalizedValidationError } from 'typebox/error';
import { Compile } from 'typebox/compile';
import { parseDocument } from 'yaml';
import { isIsoDate, isTimeZone, parseWeeklyHours } from './business-hours.js';
import {
  ANSWER_KEY_PATTERN,
  E164_PATTERN,
  FlowEnvelope,
  FLOW_ID_PATTERN,
  NODE_ID_PATTERN,
  NODE_SCHEMAS,
  NumberMap,
  URL_PATTERN,
  VOICE_PATTERN,
  type Flow,
  type FlowNode,
  type Language,
  type NodeType,
  type Prompt,
} from './ivr.schemas.js';

/** The file in a flows folder that maps dialled numbers to flows; every other YAML file is a flow. */
export const NUMBERS_FILE = 'numbers.yaml';

/** One thing wrong with a flow file, located precisely enough to fix it without searching. */
export interface FlowIssue {
  file: string;
  /** Node id, when the problem is inside a node. */
  node?: string;
  /** Path of the field inside the node (or the file), e.g. `options[1].next`. */
  field: string;
  problem: string;
}

/** Flow files that cannot be used. The message has one line per issue: file, node, field, problem. */
export class FlowError extends Error {
  readonly issues: readonly FlowIssue[];

  constructor(issues: readonly FlowIssue[]) {
    super(issues.map(describe).join('\n'));
    this.name = 'FlowError';
    this.issues = issues;
  }
}

function describe({ file, node, field, problem }: FlowIssue): string {
  const where = [file, node === undefined ? '' : `node "${node}"`, field].filter(Boolean);
  return `${where.join(': ')}: ${problem}`;
}

/** Every flow of a folder, and which flow answers which number. */
export interface FlowCatalog {
  flows: ReadonlyMap<string, Flow>;
  numbers: NumberMap;
}

/** The flow for a dialled number (Twilio's `To`), or the default flow. */
export function flowForNumber(catalog: FlowCatalog, to: string): Flow {
  // An own key only: a caller-supplied `To` such as "constructor" must not find Object's prototype.
  const mapped = catalog.numbers.numbers;
  const id = (mapped && Object.hasOwn(mapped, to) ? mapped[to] : undefined) ?? catalog.numbers.default;
  const flow = catalog.flows.get(id);
  if (!flow) throw new Error(`no flow "${id}" for ${to}: the catalog was not made by loadFlows`);
  return flow;
}

/**
 * Reads every flow (`*.yaml`) and the number map (`numbers.yaml`) of `dir`, and checks them all.
 * @throws FlowError listing every issue of every file, so one start-up shows everything to fix.
 */
export async function loadFlows(dir: string): Promise<FlowCatalog> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const issues: FlowIssue[] = [];
  const flows = new Map<string, Flow>();
  for (const name of names.filter((n) => n !== NUMBERS_FILE)) {
    const file = join(dir, name);
    const checked = checkFlow(await readFile(file, 'utf8'), file);
    issues.push(...checked.issues);
    if (!checked.flow) continue;
    if (flows.has(checked.flow.id)) {
      issues.push({ file, field: 'id', problem: `flow "${checked.flow.id}" is defined twice` });
    }
    flows.set(checked.flow.id, checked.flow);
  }
  const numbersFile = join(dir, NUMBERS_FILE);
  let numbers: NumberMap | undefined;
  if (names.includes(NUMBERS_FILE)) {
    // A flow's id is its file's name, so a broken flow file still counts as that flow here.
    const flowIds = new Set(names.map((name) => basename(name, extname(name))));
    const checked = checkNumbers(await readFile(numbersFile, 'utf8'), numbersFile, flowIds);
    issues.push(...checked.issues);
    numbers = checked.numbers;
  } else {
    issues.push({
      file: numbersFile,
      field: '',
      problem: 'is missing; it says which flow answers each number',
    });
  }
  if (issues.length > 0 || !numbers) throw new FlowError(issues);
  return { flows, numbers };
}

/**
 * Parses and checks one flow file's text; `file` names it in errors, and its name must be the flow's id.
 * @throws FlowError listing every issue found.
 */
export function parseFlow(text: string, file: string): Flow {
  const { flow, issues } = checkFlow(text, file);
  if (!flow) throw new FlowError(issues);
  return flow;
}

function readYaml(text: string, file: string, issues: FlowIssue[]): unknown {
  // failsafe keeps every scalar a string, so `+14155550100` keeps its plus and `digit: 1` stays "1";
  // the schemas then convert the strings that should be numbers.
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true });
  for (const error of doc.errors)
    issues.push({ file, field: '', problem: `is not valid YAML: ${error.message}` });
  return doc.errors.length > 0 ? undefined : doc.toJS();
}

const envelopeValidator = Compile(FlowEnvelope);
const numberMapValidator = Compile(NumberMap);
const nodeValidators = {
  say: Compile(NODE_SCHEMAS.say),
  play: Compile(NODE_SCHEMAS.play),
  menu: Compile(NODE_SCHEMAS.menu),
  set_language: Compile(NODE_SCHEMAS.set_language),
  identify: Compile(NODE_SCHEMAS.identify),
  business_hours: Compile(NODE_SCHEMAS.business_hours),
  route_to_queue: Compile(NODE_SCHEMAS.route_to_queue),
  callback_offer: Compile(NODE_SCHEMAS.callback_offer),
  voicemail: Compile(NODE_SCHEMAS.voicemail),
  transfer: Compile(NODE_SCHEMAS.transfer),
  hangup: Compile(NODE_SCHEMAS.hangup),
};

const isNodeType = (type: string): type is NodeType => Object.hasOwn(NODE_SCHEMAS, type);

function checkNode(type: NodeType, raw: unknown): { node?: FlowNode; errors: TLocalizedValidationError[] } {
  const validator = nodeValidators[type];
  const value = validator.Convert(raw);
  return validator.Check(value) ? { node: value, errors: [] } : { errors: validator.Errors(value) };
}

function checkFlow(text: string, file: string): { flow?: Flow; issues: FlowIssue[] } {
  const issues: FlowIssue[] = [];
  const raw = readYaml(text, file, issues);
  if (issues.length > 0) return { issues };
  const envelope = envelopeValidator.Convert(raw);
  if (!envelopeValidator.Check(envelope)) {
    for (const { path, problem } of schemaProblems(envelopeValidator.Errors(envelope))) {
      // Errors inside `nodes.<id>` belong to that node.
      if (path[0] === 'nodes' && path.length > 1)
        issues.push({ file, node: path[1], field: field(path.slice(2)), problem });
      else issues.push({ file, field: field(path), problem });
    }
    return { issues };
  }
  const stem = basename(file, extname(file));
  if (envelope.id !== stem) issues.push({ file, field: 'id', problem: `must be "${stem}", the file's name` });

  const nodes: Record<string, FlowNode> = {};
  for (const [id, rawNode] of Object.entries(envelope.nodes)) {
    if (!NODE_ID_PATTERN.test(id)) {
      issues.push({ file, node: id, field: '', problem: 'id must be 1-64 letters, digits, _ or -' });
    }
    if (!isNodeType(rawNode.type)) {
      const known = Object.keys(NODE_SCHEMAS).join(', ');
      issues.push({
        file,
        node: id,
        field: 'type',
        problem: `unknown node type "${rawNode.type}" (known: ${known})`,
      });
      continue;
    }
    const { node, errors } = checkNode(rawNode.type, rawNode);
    if (node) nodes[id] = node;
    for (const { path, problem } of schemaProblems(errors))
      issues.push({ file, node: id, field: field(path), problem });
  }
  if (issues.length > 0) return { issues };

  const flow: Flow = { ...envelope, language: envelope.language ?? 'en-US', nodes };
  issues.push(...checkGraph(flow, file));
  return issues.length > 0 ? { issues } : { flow, issues };
}

function checkNumbers(
  text: string,
  file: string,
  flowIds: ReadonlySet<string>,
): { numbers?: NumberMap; issues: FlowIssue[] } {
  const issues: FlowIssue[] = [];
  const raw = readYaml(text, file, issues);
  if (issues.length > 0) return { issues };
  if (!numberMapValidator.Check(raw)) {
    for (const { path, problem } of schemaProblems(numberMapValidator.Errors(raw))) {
      issues.push({ file, field: field(path), problem });
    }
    return { issues };
  }
  if (!flowIds.has(raw.default)) issues.push({ file, field: 'default', problem: `no flow "${raw.default}"` });
  for (const [number, flowId] of Object.entries(raw.numbers ?? {})) {
    const where = field(['numbers', number]);
    if (!E164_PATTERN.test(number)) {
      issues.push({ file, field: where, problem: 'is not an E.164 number like +14155550100' });
    }
    if (!flowIds.has(flowId)) issues.push({ file, field: where, problem: `no flow "${flowId}"` });
  }
  return issues.length > 0 ? { issues } : { numbers: raw, issues };
}

/** The nodes a node can lead to, each with the field that names it. */
function references(node: FlowNode): Array<[field: string, target: string]> {
  switch (node.type) {
    case 'say':
    case 'play':
    case 'set_language':
    case 'voicemail':
      return [['next', node.next]];
    case 'menu':
      return [
        ...node.options.map((option, i): [string, string] => [`options[${i}].next`, option.next]),
        ['noInput', node.noInput],
        ['noMatch', node.noMatch],
      ];
    case 'identify':
      return [
        ['found', node.found],
        ['notFound', node.notFound],
      ];
    case 'business_hours':
      return [
        ['open', node.open],
        ['closed', node.closed],
      ];
    case 'callback_offer':
      return [
        ...(node.accepted === undefined ? [] : [['accepted', node.accepted] as [string, string]]),
        ['next', node.next],
      ];
    case 'route_to_queue':
    case 'transfer':
    case 'hangup':
      return [];
  }
}

/** Everything a node says, each with its field. */
function prompts(node: FlowNode): Array<[field: string, prompt: Prompt | undefined]> {
  switch (node.type) {
    case 'say':
    case 'hangup':
      return [['text', node.text]];
    case 'menu':
      return [
        ['prompt', node.prompt],
        ['noInputPrompt', node.noInputPrompt],
        ['noMatchPrompt', node.noMatchPrompt],
      ];
    case 'identify':
      return [
        ['prompt', node.prompt],
        ['notFoundPrompt', node.notFoundPrompt],
      ];
    case 'route_to_queue':
    case 'callback_offer':
    case 'voicemail':
    case 'transfer':
      return [['prompt', node.prompt]];
    case 'play':
    case 'set_language':
    case 'business_hours':
      return [];
  }
}

/** Nodes that run without waiting for the caller; a cycle of them alone would never end. */
const AUTO_ADVANCING = new Set<NodeType>(['say', 'play', 'set_language', 'business_hours']);

function checkGraph(flow: Flow, file: string): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const add = (node: string | undefined, where: string, problem: string) =>
    issues.push({ file, ...(node !== undefined && { node }), field: where, problem });

  if (!flow.nodes[flow.start]) add(undefined, 'start', `no node "${flow.start}"`);
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const [where, target] of references(node)) {
      if (!flow.nodes[target]) add(id, where, `no node "${target}"`);
    }
    for (const [where, prompt] of prompts(node)) {
      for (const missing of missingLanguage(prompt, flow.language, where)) {
        add(id, missing, `has no ${flow.language} text, the flow's default language`);
      }
    }
    if (node.type === 'menu') checkMenu(node, (where, problem) => add(id, where, problem));
    if (node.type === 'business_hours') checkCalendar(node, (where, problem) => add(id, where, problem));
  }
  if (issues.length > 0) return issues;

  // Unreachable nodes are errors, not warnings: in a hand-edited file they are a typo or a leftover,
  // and a warning in a start-up log is easy to miss.
  const reached = new Set<string>([flow.start]);
  const queue = [flow.start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const [, target] of references(flow.nodes[id]!)) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const id of Object.keys(flow.nodes)) {
    if (!reached.has(id)) add(id, '', `is not reachable from start "${flow.start}"`);
  }
  issues.push(...autoLoops(flow, file));
  return issues;
}

function missingLanguage(prompt: Prompt | undefined, language: Language, where: string): string[] {
  if (prompt === undefined) return [];
  if (!Array.isArray(prompt)) return prompt[language] === undefined ? [where] : [];
  return prompt.flatMap((part, i) =>
    'language' in part || part[language] !== undefined ? [] : [`${where}[${i}]`],
  );
}

type Report = (where: string, problem: string) => void;

function checkMenu(node: Extract<FlowNode, { type: 'menu' }>, report: Report): void {
  const seen = new Map<string, number>();
  node.options.forEach((option, i) => {
    if (option.digit === undefined) {
      if (option.speech === undefined) report(`options[${i}]`, 'needs a digit, speech phrases or both');
      return;
    }
    if (!/^[0-9*#]$/.test(option.digit)) {
      report(`options[${i}].digit`, `"${option.digit}" is not one key: 0-9, * or #`);
      return;
    }
    const first = seen.get(option.digit);
    if (first !== undefined)
      report(`options[${i}].digit`, `"${option.digit}" is already used by options[${first}]`);
    else seen.set(option.digit, i);
  });
}

function checkCalendar(node: Extract<FlowNode, { type: 'business_hours' }>, report: Report): void {
  const { timeZone, hours, holidays = [] } = node.calendar;
  if (!isTimeZone(timeZone))
    report('calendar.timeZone', `"${timeZone}" is not an IANA time zone like Europe/Paris`);
  hours.forEach((spec, i) => {
    try {
      parseWeeklyHours(spec);
    } catch (error) {
      report(`calendar.hours[${i}]`, (error as Error).message);
    }
  });
  holidays.forEach((date, i) => {
    if (!isIsoDate(date)) report(`calendar.holidays[${i}]`, `"${date}" is not a date like 2025-12-25`);
  });
}

function autoLoops(flow: Flow, file: string): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const done = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    const node = flow.nodes[id];
    if (!node || !AUTO_ADVANCING.has(node.type) || done.has(id)) return;
    const at = trail.indexOf(id);
    if (at >= 0) {
      const loop = [...trail.slice(at), id];
      issues.push({
        file,
        node: id,
        field: '',
        problem: `loops (${loop.join(' → ')}) without waiting for the caller`,
      });
      return;
    }
    for (const [, target] of references(node)) visit(target, [...trail, id]);
    done.add(id);
  };
  for (const id of Object.keys(flow.nodes)) visit(id, []);
  return issues;
}

const PATTERN_PROBLEMS = new Map<string, string>([
  [E164_PATTERN.source, 'is not an E.164 number like +14155550100'],
  [VOICE_PATTERN.source, 'is not a Twilio voice like Polly.Joanna or Google.en-US-Standard-C'],
  [URL_PATTERN.source, 'is not an http(s) URL'],
  [ANSWER_KEY_PATTERN.source, 'must be a letter then letters, digits or _'],
  [FLOW_ID_PATTERN.source, 'must be lower-case letters, digits, _ or -'],
]);

/** TypeBox errors as (path, problem) a person can act on. */
function schemaProblems(errors: TLocalizedValidationError[]): Array<{ path: string[]; problem: string }> {
  return prune(errors).flatMap((error) => {
    const path = pointer(error.instancePath);
    switch (error.keyword) {
      case 'required':
        return error.params.requiredProperties.map((name) => ({
          path: [...path, name],
          problem: 'is required',
        }));
      case 'additionalProperties':
        return error.params.additionalProperties.map((name) => ({
          path: [...path, name],
          problem: 'is not a known field',
        }));
      case 'enum':
        return [{ path, problem: `must be one of ${error.params.allowedValues.join(', ')}` }];
      case 'pattern': {
        const { pattern } = error.params;
        const source = typeof pattern === 'string' ? pattern : pattern.source;
        return [{ path, problem: PATTERN_PROBLEMS.get(source) ?? error.message }];
      }
      default:
        return [{ path, problem: error.message }];
    }
  });
}

/**
 * A failed union reports every branch's errors. Keep only those of the branch the value was probably
 * meant for: one whose type fits, with the fewest errors. When no branch's type fits, say which types would.
 */
function prune(errors: TLocalizedValidationError[]): TLocalizedValidationError[] {
  // `additionalProperties: false` also yields a `boolean` error per extra key; the other one says it better.
  let kept = errors.filter((error) => error.keyword !== 'boolean');
  const unions = kept
    .filter((error) => error.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!kept.includes(union)) continue;
    const prefix = `${union.schemaPath}/anyOf/`;
    const branches = new Map<string, TLocalizedValidationError[]>();
    for (const error of kept.filter((e) => e.schemaPath.startsWith(prefix))) {
      const branch = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const expectedType = (branch: TLocalizedValidationError[]) =>
      branch.flatMap((e) =>
        e.keyword === 'type' && e.instancePath === union.instancePath ? [e.params.type] : [],
      );
    const best = [...branches.values()]
      .filter((branch) => expectedType(branch).length === 0)
      .sort((a, b) => a.length - b.length)[0];
    if (best) {
      kept = kept.filter((e) => e !== union && (!e.schemaPath.startsWith(prefix) || best.includes(e)));
    } else {
      const types = [...branches.values()].flatMap(expectedType).flat();
      const typeError = { ...union, message: `must be ${types.join(' or ')}` };
      kept = kept.filter((e) => !e.schemaPath.startsWith(prefix)).map((e) => (e === union ? typeError : e));
    }
  }
  return kept;
}

function pointer(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `options[1].next`, `numbers["+14155550100"]`. */
function field(path: readonly string[]): string {
  return path
    .map((part, i) => {
      if (/^\d+$/.test(part)) return `[${part}]`;
      if (/^[A-Za-z_][\w-]*$/.test(part)) return i === 0 ? part : `.${part}`;
      return `[${JSON.stringify(part)}]`;
    })
    .join('');
}
