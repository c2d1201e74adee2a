/**
 * What an Interaction's timeline and IVR answers say to a reader: each event's name and its data as
 * labelled, formatted facts in the reader's language. Pure: the words and formats come in as
 * `Words`, so tests can check both languages without a page.
 *
 * Event data is shown by allowlist: a field gets a row only if it is listed here. Ids, references to
 * stored media and provider data have no row, so nothing internal reaches an Agent.
 */
import { INTERACTION_OUTCOMES } from '../../contracts/glossary.js';
import type { InteractionOutcome } from '../../contracts/glossary.js';
import { en, type MessageKey } from '../i18n/en.js';
import type { Params } from '../i18n/format.js';

export interface Words {
  t(key: MessageKey, params?: Params): string;
  duration(seconds: number): string;
  languageName(tag: string): string;
  time(iso: string): string;
}

/** Names of what the events refer to by id, keyed by the id (the detail's `names`). */
export interface TimelineNames {
  agents: Record<string, string>;
  queues: Record<string, string>;
  wrapUpCodes: Record<string, string>;
}

export interface TimelineEventLike {
  type: string;
  data: Record<string, unknown>;
}

export interface LabelledFact {
  label: string;
  value: string;
}

const isKey = (key: string): key is MessageKey => key in en;

/** `t(prefix + value)` when the dictionary has it, else `fallback`. */
function wordFor(w: Words, prefix: string, value: string, fallback: string): string {
  const key = `${prefix}${value}`;
  return isKey(key) ? w.t(key) : fallback;
}

/** `office_hours`, `chooseLanguage` → "office hours", "choose language": a readable form of a key. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const camel = (key: string): string => key.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** An event type's name in the reader's language; a type from a newer server reads as words. */
export function eventLabel(type: string, w: Words): string {
  return wordFor(w, 'event.', type, humanize(type));
}

const isOutcome = (value: unknown): value is InteractionOutcome =>
  typeof value === 'string' && (INTERACTION_OUTCOMES as readonly string[]).includes(value);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

/**
 * Routing and supervision reasons the server writes in English, as patterns: each becomes a message
 * with its numbers and names. A reason matching none is shown as written.
 */
const REASONS: [RegExp, MessageKey, (match: RegExpMatchArray) => Params][] = [
  [/^longest idle \((\d+) s\)/, 'timeline.route.longestIdle', (m) => ({ seconds: m[1]! })],
  [/^least occupied \((\d+) s talk today\)/, 'timeline.route.leastOccupied', (m) => ({ seconds: m[1]! })],
  [/^best skills match \(proficiency (\d+)\)/, 'timeline.route.bestSkills', (m) => ({ score: m[1]! })],
  [/^next in round robin/, 'timeline.route.roundRobin', () => ({})],
  [/^transfer from (.+)$/, 'timeline.route.transferFrom', (m) => ({ name: m[1]! })],
  [/^moved by supervisor (.+)$/, 'timeline.route.movedBy', (m) => ({ name: m[1]! })],
  [/^ended by supervisor (.+)$/, 'timeline.route.endedBy', (m) => ({ name: m[1]! })],
];

/** A reason in the reader's language: a known code, a known routing sentence, or the server's words. */
export function reasonText(reason: string, w: Words): string {
  if (isKey(`timeline.reason.${reason}`)) return w.t(`timeline.reason.${reason}` as MessageKey);
  for (const [pattern, key, params] of REASONS) {
    const match = reason.match(pattern);
    if (!match) continue;
    const among = reason.match(/ among (\d+) /);
    const said = w.t(key, params(match));
    return among ? `${said} · ${w.t('timeline.route.among', { count: among[1]! })}` : said;
  }
  // A code we have no words for yet reads as words rather than as a key.
  return /^[a-z]+(_[a-z]+)+$/.test(reason) ? humanize(reason) : reason;
}

const nameFrom = (names: Record<string, string>, id: unknown): string | null =>
  typeof id === 'number' ? (names[String(id)] ?? null) : null;

type FieldView = (value: unknown, w: Words, names: TimelineNames) => LabelledFact | null;

const seconds =
  (label: MessageKey): FieldView =>
  (value, w) =>
    typeof value === 'number' ? { label: w.t(label), value: w.duration(value) } : null;

const plain =
  (label: MessageKey): FieldView =>
  (value, w) => {
    const shown = text(value);
    return shown === null ? null : { label: w.t(label), value: shown };
  };

/** A value from a small set, each with words under `prefix`; unknown values read as words. */
const choice =
  (label: MessageKey, prefix: string): FieldView =>
  (value, w) =>
    typeof value === 'string'
      ? { label: w.t(label), value: wordFor(w, prefix, value, humanize(value)) }
      : null;

const agent =
  (label: MessageKey): FieldView =>
  (value, w, names) => {
    const name = nameFrom(names.agents, value);
    return name === null ? null : { label: w.t(label), value: name };
  };

/** The event data fields an Agent may read, and how. Everything else is internal. */
const FIELDS: Record<string, FieldView> = {
  queueId: (value, w, names) => {
    const name = nameFrom(names.queues, value);
    return name === null ? null : { label: w.t('timeline.queue'), value: name };
  },
  agentId: agent('timeline.agent'),
  toAgentId: agent('timeline.field.toAgent'),
  wrapUpCodeId: (value, w, names) =>
    value === null
      ? { label: w.t('timeline.wrapUp'), value: w.t('common.notSet') }
      : { label: w.t('timeline.wrapUp'), value: nameFrom(names.wrapUpCodes, value) ?? w.t('common.notSet') },
  // Demo history seeded before the seed wrote ids names the code itself.
  wrapUpCode: (value, w) => ({ label: w.t('timeline.wrapUp'), value: text(value) ?? w.t('common.notSet') }),
  notes: plain('timeline.notes'),
  outcome: (value, w) =>
    isOutcome(value) ? { label: w.t('outcome.label'), value: w.t(`outcome.${value}` as MessageKey) } : null,
  reason: (value, w) =>
    typeof value === 'string' ? { label: w.t('timeline.ivr.reason'), value: reasonText(value, w) } : null,
  waitSeconds: seconds('timeline.wait'),
  waitedSeconds: seconds('timeline.wait'),
  heldSeconds: seconds('timeline.held'),
  retryInSeconds: seconds('timeline.field.retryIn'),
  seconds: seconds('timeline.field.priorityBoost'),
  answeredAt: (value, w) =>
    typeof value === 'string' ? { label: w.t('timeline.field.answeredAt'), value: w.time(value) } : null,
  late: (value, w) =>
    value === true ? { label: w.t('timeline.field.late'), value: w.t('common.yes') } : null,
  mode: choice('timeline.field.mode', 'supervisorMode.'),
  action: choice('timeline.field.action', 'timeline.action.'),
  alternative: choice('timeline.field.action', 'timeline.action.'),
  status: choice('timeline.ivr.status', 'timeline.status.'),
  origin: choice('timeline.field.origin', 'timeline.origin.'),
  question: choice('timeline.ivr.question', 'timeline.question.'),
  answer: choice('timeline.ivr.answer', 'timeline.answer.'),
  language: (value, w) =>
    typeof value === 'string'
      ? { label: w.t('timeline.field.language'), value: w.languageName(value) }
      : null,
  score: (value, w) =>
    typeof value === 'number'
      ? { label: w.t('timeline.ivr.score'), value: w.t('survey.scoreOf', { score: value }) }
      : null,
  resolved: (value, w) =>
    typeof value === 'boolean'
      ? { label: w.t('timeline.ivr.resolved'), value: w.t(value ? 'common.yes' : 'common.no') }
      : null,
  attempt: plain('timeline.field.attempt'),
  to: plain('timeline.field.to'),
  callerNumber: plain('timeline.caller'),
  phoneNumber: plain('timeline.field.number'),
  number: plain('timeline.field.number'),
  bot: plain('timeline.ivr.bot'),
  intent: plain('timeline.ivr.intent'),
  summary: plain('timeline.ivr.summary'),
};

/** The fields the timeline shows; anything else in an event's data stays hidden. */
export const SHOWN_EVENT_FIELDS: readonly string[] = Object.keys(FIELDS);

/** One event's data as readable facts, in the data's order; unknown and internal fields are left out. */
export function eventFacts(event: TimelineEventLike, names: TimelineNames, w: Words): LabelledFact[] {
  const facts: LabelledFact[] = [];
  for (const [field, value] of Object.entries(event.data)) {
    // An answer's agent is the event's own agent, already named beside the event.
    if (field === 'agentId' && event.type !== 'transfer_agent_unavailable') continue;
    const view = FIELDS[field];
    const fact = view?.(value, w, names);
    if (fact) facts.push(fact);
  }
  return facts;
}

/** IVR answer keys the IVR engine writes itself (ivr/engine.ts), not named by any flow. */
const HIDDEN_ANSWERS = new Set(['customerId']);

/** An IVR answer's value in the reader's language: a language, a known choice, or the value as words. */
function answerValue(value: unknown, w: Words): string {
  if (typeof value === 'boolean') return w.t(value ? 'common.yes' : 'common.no');
  if (typeof value !== 'string') return text(value) ?? '—';
  if (/^[a-z]{2}-[A-Z]{2}$/.test(value)) return w.languageName(value);
  if (/^[0-9+*#]+$/.test(value)) return value;
  return wordFor(w, 'timeline.ivrValue.', camel(value), humanize(value));
}

/**
 * The caller's IVR answers as facts. A key is the node id or the node's `saveAs` name: known ones
 * (language choice, identification, menus) have words in both languages, others read as words.
 */
export function ivrAnswerFacts(answers: Record<string, unknown>, w: Words): LabelledFact[] {
  return Object.entries(answers)
    .filter(([key]) => !HIDDEN_ANSWERS.has(key))
    .map(([key, value]) => ({
      label: wordFor(w, 'timeline.ivr.', camel(key), humanize(key)),
      value: answerValue(value, w),
    }));
}
