import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowError, flowForNumber, loadFlows, parseFlow } from './flows.js';
import { FLOWS_DIR } from './index.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A flows folder holding `files`; numbers.yaml points everything at "main" unless given. */
async function flowsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ivr-flows-'));
  dirs.push(dir);
  const all = { 'numbers.yaml': 'default: main\n', ...files };
  for (const [name, text] of Object.entries(all)) await writeFile(join(dir, name), text);
  return dir;
}

/** The issue lines loadFlows reports for `files`, with the folder left out. */
async function problems(files: Record<string, string>): Promise<string[]> {
  const dir = await flowsDir(files);
  const error = await loadFlows(dir).then(
    () => expect.unreachable('the flows loaded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowError);
  return (error as FlowError).message.split('\n').map((line) => line.replace(`${dir}/`, ''));
}

/** A small valid flow "main"; `nodes` replaces or adds nodes (YAML, indented by 2). */
const main = (nodes = '', header = 'start: hello') => `
id: main
version: 1
${header}
nodes:
  hello:
    type: say
    text:
      en-US: Hello.
    next: main_menu
  main_menu:
    type: menu
    prompt:
      en-US: For sales press 1, for support press 2.
    options:
      - digit: 1
        value: sales
        next: bye
      - digit: 2
        value: support
        next: bye
    noInput: bye
    noMatch: bye
  bye:
    type: hangup
${nodes}`;

describe('loadFlows', () => {
  it('loads the shipped flows cleanly and maps numbers to them', async () => {
    const catalog = await loadFlows(FLOWS_DIR);
    expect([...catalog.flows.keys()].sort()).toEqual(['default', 'demo', 'vip']);
    expect(flowForNumber(catalog, '+14155550123').id).toBe('vip');
    expect(flowForNumber(catalog, '+14155550199').id).toBe('demo');
    expect(
      Object.values(catalog.flows.get('demo')!.nodes).some((node) => node.type === 'business_hours'),
    ).toBe(false);
    expect(flowForNumber(catalog, '+14155550100').id).toBe('default');
    expect(flowForNumber(catalog, '+19995550000').id).toBe('default');
    // A dialled number comes from the caller's side: names of Object's prototype are numbers too.
    for (const to of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(flowForNumber(catalog, to).id).toBe('default');
    const defaultFlow = catalog.flows.get('default');
    expect(defaultFlow?.language).toBe('en-US');
    expect(defaultFlow?.nodes.main_menu).toMatchObject({ type: 'menu', retries: 2, minConfidence: 0.4 });
  });

  it('loads a valid folder, with keys and numbers written unquoted', async () => {
    const dir = await flowsDir({
      'main.yaml': main(),
      'numbers.yaml': 'default: main\nnumbers:\n  +14155550100: main\n',
    });
    const catalog = await loadFlows(dir);
    expect(catalog.numbers.numbers).toEqual({ '+14155550100': 'main' });
    const menu = catalog.flows.get('main')?.nodes.main_menu;
    expect(menu?.type === 'menu' && menu.options.map((o) => o.digit)).toEqual(['1', '2']);
  });

  it('names the file, node and field of a dangling reference', async () => {
    const flow = main().replace('value: support\n        next: bye', 'value: support\n        next: salez');
    expect(await problems({ 'main.yaml': flow })).toEqual([
      'main.yaml: node "main_menu": options[1].next: no node "salez"',
    ]);
  });

  it.each([
    ['a missing start', main('', ''), 'main.yaml: start: is required'],
    ['a start that is no node', main('', 'start: welcome'), 'main.yaml: start: no node "welcome"'],
    [
      'a digit longer than one key',
      main().replace('digit: 2', 'digit: 12'),
      'main.yaml: node "main_menu": options[1].digit: "12" is not one key: 0-9, * or #',
    ],
    [
      'a duplicate digit',
      main().replace('digit: 2', 'digit: 1'),
      'main.yaml: node "main_menu": options[1].digit: "1" is already used by options[0]',
    ],
    [
      'an option with neither digit nor speech',
      main().replace('      - digit: 2\n', '      - value: x\n        next: bye\n      - digit: 2\n'),
      'main.yaml: node "main_menu": options[1]: needs a digit, speech phrases or both',
    ],
    [
      'an unknown node type',
      main('  extra:\n    type: sing\n    next: bye\n'),
      'main.yaml: node "extra": type: unknown node type "sing" (known: say, play, menu, set_language, identify, ' +
        'business_hours, route_to_queue, callback_offer, voicemail, transfer, hangup)',
    ],
    [
      'a bad time zone',
      main(
        '  hours:\n    type: business_hours\n    calendar:\n      timeZone: Mars/Olympus\n      hours: [mon-fri 09:00-17:00]\n' +
          '    open: bye\n    closed: bye\n',
      ).replace('next: main_menu', 'next: hours'),
      'main.yaml: node "hours": calendar.timeZone: "Mars/Olympus" is not an IANA time zone like Europe/Paris',
    ],
    [
      'bad hours and holidays',
      main(
        '  hours:\n    type: business_hours\n    calendar:\n      timeZone: UTC\n      hours: [weekdays 9-5]\n' +
          '      holidays: [2025-02-30]\n    open: bye\n    closed: bye\n',
      ).replace('next: main_menu', 'next: hours'),
      'main.yaml: node "hours": calendar.hours[0]: "weekdays 9-5" is not like "mon-fri 09:00-18:00"\n' +
        'main.yaml: node "hours": calendar.holidays[0]: "2025-02-30" is not a date like 2025-12-25',
    ],
    [
      'a text without the default language',
      main().replace('en-US: Hello.', 'zh-CN: 您好。'),
      `main.yaml: node "hello": text: has no en-US text, the flow's default language`,
    ],
    [
      'a prompt part without the default language',
      main().replace(
        'en-US: For sales press 1, for support press 2.',
        '- zh-CN: 销售请按1\n      - language: zh-CN\n        text: 支持请按2',
      ),
      `main.yaml: node "main_menu": prompt[0]: has no en-US text, the flow's default language`,
    ],
    [
      'a misspelt field',
      main().replace('    next: main_menu', '    nxt: main_menu'),
      'main.yaml: node "hello": next: is required\nmain.yaml: node "hello": nxt: is not a known field',
    ],
    [
      'a number that is not a number',
      main().replace('    noInput: bye', '    retries: many\n    noInput: bye'),
      'main.yaml: node "main_menu": retries: must be integer',
    ],
    [
      'a prompt of the wrong shape',
      main().replace('      en-US: Hello.', '      en_US: Hello.'),
      'main.yaml: node "hello": text.en_US: is not a known field',
    ],
    [
      'a prompt that is a bare string',
      main().replace('    text:\n      en-US: Hello.', '    text: Hello.'),
      'main.yaml: node "hello": text: must be object or array',
    ],
    [
      'an unknown language',
      main('', 'start: hello\nlanguage: fr-FR'),
      'main.yaml: language: must be one of en-US, zh-CN',
    ],
    [
      'a bad transfer number',
      main('  out:\n    type: transfer\n    to: 555-0100\n').replace(
        'next: bye\n      - digit: 2',
        'next: out\n      - digit: 2',
      ),
      'main.yaml: node "out": to: is not an E.164 number like +14155550100',
    ],
    [
      'an id that is not the file name',
      main().replace('id: main', 'id: other'),
      `main.yaml: id: must be "main", the file's name`,
    ],
    [
      'an unreachable node',
      main('  orphan:\n    type: hangup\n'),
      'main.yaml: node "orphan": is not reachable from start "hello"',
    ],
    [
      'a loop that never waits for the caller',
      main(
        '  again:\n    type: business_hours\n    calendar:\n      timeZone: UTC\n      hours: [mon 09:00-10:00]\n' +
          '    open: hello\n    closed: main_menu\n',
      ).replace('next: main_menu', 'next: again'),
      'main.yaml: node "hello": loops (hello → again → hello) without waiting for the caller',
    ],
    ['broken YAML', 'id: main\nnodes: [unclosed\n', /^main\.yaml: is not valid YAML: /],
  ])('reports %s', async (_, flow, expected) => {
    const lines = (await problems({ 'main.yaml': flow })).join('\n');
    if (typeof expected === 'string') expect(lines).toBe(expected);
    else expect(lines).toMatch(expected);
  });

  it('reports a bad E.164 number and an unknown flow in numbers.yaml', async () => {
    const numbers = 'default: mian\nnumbers:\n  "+1-415-555-0100": main\n  "+14155550100": vipp\n';
    expect(await problems({ 'main.yaml': main(), 'numbers.yaml': numbers })).toEqual([
      'numbers.yaml: default: no flow "mian"',
      'numbers.yaml: numbers["+1-415-555-0100"]: is not an E.164 number like +14155550100',
      'numbers.yaml: numbers["+14155550100"]: no flow "vipp"',
    ]);
  });

  it('requires numbers.yaml', async () => {
    const dir = await flowsDir({ 'main.yaml': main() });
    await rm(join(dir, 'numbers.yaml'));
    await expect(loadFlows(dir)).rejects.toThrow(
      `${dir}/numbers.yaml: is missing; it says which flow answers each number`,
    );
  });

  it('reports every issue of every file at once, each with its location', async () => {
    const dir = await flowsDir({
      'main.yaml': main().replace('next: main_menu', 'next: nowhere'),
      'other.yaml': 'id: other\nversion: 0\nstart: a\nnodes:\n  a:\n    type: hangup\n',
    });
    const error = await loadFlows(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).issues).toEqual([
      { file: join(dir, 'main.yaml'), node: 'hello', field: 'next', problem: 'no node "nowhere"' },
      { file: join(dir, 'other.yaml'), field: 'version', problem: 'must be >= 1' },
    ]);
  });
});

describe('parseFlow', () => {
  it('defaults the language to en-US and keeps YAML anchors working', () => {
    const flow = parseFlow(
      `
id: hours
version: 3
start: early
nodes:
  early:
    type: business_hours
    calendar: &office
      timeZone: Europe/Paris
      hours: [mon-fri 08:00-12:00]
    open: bye
    closed: late
  late:
    type: business_hours
    calendar: *office
    open: bye
    closed: bye
  bye:
    type: hangup
`,
      'flows/hours.yaml',
    );
    expect(flow.language).toBe('en-US');
    expect(flow.version).toBe(3);
    expect(flow.nodes.late).toEqual(
      expect.objectContaining({ calendar: expect.objectContaining({ timeZone: 'Europe/Paris' }) }),
    );
  });
});
