import { isOpen } from './business-hours.js';
import {
  CALLBACK_DEFAULTS,
  E164_PATTERN,
  IDENTIFY_DEFAULTS,
  MENU_DEFAULTS,
  TRANSFER_DEFAULTS,
  VOICEMAIL_DEFAULTS,
  type Effect,
  type Flow,
  type FlowNode,
  type IvrState,
  type Language,
  type MenuOption,
  type NodeOfType,
  type IvrOutcome,
  type Prompt,
} from './ivr.schemas.js';
import * as verbs from './verbs.js';
import type { Speaker, VoiceResponse } from './verbs.js';

/** What Twilio POSTs to a `<Gather>` action (form fields, so numbers arrive as strings). */
export interface GatherInput {
  Digits?: string;
  SpeechResult?: string;
  Confidence?: string | number;
}

/** The answer to an `identify_by_number` / `identify_by_digits` effect: the customer, or null if unknown. */
export interface EffectResult {
  identified: { customerId: number } | null;
}

export type StepInput = GatherInput | EffectResult;

/** Everything outside the flow that a step depends on. */
export interface StepContext {
  /** The moment of this webhook; business hours are judged against it. */
  now: Date;
  /** Twilio's `From`: E.164 when the caller's number is known. */
  callerNumber: string;
  /** URL Twilio should POST to once the node `nodeId` has heard the caller (also used for redirects). */
  actionUrl(nodeId: string): string;
  /** URL Twilio reports voicemail recordings to (`recordingStatusCallback`). */
  recordingCallbackUrl: string;
}

/**
 * Either TwiML to answer the webhook with, or an effect to perform first: a step that asks for an effect
 * has produced no TwiML; perform it and call `step` again with its result within the same webhook.
 */
export type StepResult =
  | { state: IvrState; effect: Effect; twiml?: never; outcome?: never }
  | { state: IvrState; twiml: string; effect?: never; outcome?: IvrOutcome };

/** Nodes one step may run without waiting for the caller; more means the flow loops. */
export const MAX_AUTO_STEPS = 50;

/** The state does not fit the flow or the input (an old state, a webhook out of turn). */
export class IvrStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IvrStateError';
  }
}

/** A flow that never waits for the caller (loaded flows are checked for this; built ones may not be). */
export class FlowLoopError extends Error {
  constructor(flowId: string, path: readonly string[]) {
    super(
      `flow "${flowId}" ran ${MAX_AUTO_STEPS} nodes without waiting for the caller: ${path.slice(-5).join(' → ')}`,
    );
    this.name = 'FlowLoopError';
  }
}

/**
 * Whether the call, in `state`, waits in a node marked `sensitive` (card numbers, PINs): recording
 * must be paused from the moment the caller enters it until they leave. Compare it before and after
 * a `step` to know when to pause and resume.
 */
export function inSensitiveStep(flow: Flow, state: IvrState | null): boolean {
  if (state === null || state.flowId !== flow.id || state.awaiting.kind === 'finished') return false;
  const node = flow.nodes[state.nodeId];
  return node !== undefined && 'sensitive' in node && node.sensitive === true;
}

/** A call at the start of `flow`, before the first webhook's step. */
export function initialState(flow: Flow): IvrState {
  return {
    flowId: flow.id,
    flowVersion: flow.version,
    nodeId: flow.start,
    awaiting: { kind: 'entry' },
    language: flow.language,
    attempts: 0,
    answers: {},
    path: [flow.start],
  };
}

type Render = (response: VoiceResponse) => void;

/** What running or resuming one node leads to. */
type Transition =
  /** Go on to `to`; with an outcome, stop first and let a Redirect come back to `to`. */
  | { kind: 'goto'; state: IvrState; to: string; render?: Render; outcome?: IvrOutcome }
  | { kind: 'wait'; state: IvrState; awaiting: 'input' | 'recording'; render: Render; outcome?: IvrOutcome }
  | { kind: 'effect'; state: IvrState; effect: Effect }
  | { kind: 'end'; state: IvrState; render: Render; outcome: IvrOutcome };

interface Run {
  flow: Flow;
  context: StepContext;
}

/**
 * Advances a call through its flow: resumes the node the state waits at with `input`, then runs the
 * following nodes until one waits for the caller, needs an effect, or ends the IVR. Pure.
 * @throws IvrStateError when the state does not belong to the flow or cannot take this input.
 * @throws FlowLoopError after MAX_AUTO_STEPS nodes without waiting.
 */
export function step(flow: Flow, state: IvrState, input: StepInput, context: StepContext): StepResult {
  if (state.flowId !== flow.id)
    throw new IvrStateError(`the call is in flow "${state.flowId}", not "${flow.id}"`);
  const run: Run = { flow, context };
  const renders: Render[] = [];
  let transition = resume(nodeAt(flow, state.nodeId), state, input, run);
  for (let autoSteps = 1; ; autoSteps++) {
    if (transition.kind !== 'effect' && transition.render) renders.push(transition.render);
    switch (transition.kind) {
      case 'goto': {
        const next = arrive(transition.state, transition.to);
        if (transition.outcome) {
          const url = context.actionUrl(next.nodeId);
          renders.push((r) => verbs.redirect(r, url));
          return { twiml: build(renders), state: next, outcome: transition.outcome };
        }
        if (autoSteps > MAX_AUTO_STEPS) throw new FlowLoopError(flow.id, next.path);
        transition = enter(nodeAt(flow, next.nodeId), next, run);
        break;
      }
      case 'wait': {
        const waiting: IvrState = { ...transition.state, awaiting: { kind: transition.awaiting } };
        return {
          twiml: build(renders),
          state: waiting,
          ...(transition.outcome && { outcome: transition.outcome }),
        };
      }
      case 'effect': {
        const waiting: IvrState = {
          ...transition.state,
          awaiting: { kind: 'effect', effect: transition.effect },
        };
        if (renders.length === 0) return { state: waiting, effect: transition.effect };
        // Twilio has to play what is already rendered first; the Redirect's webhook asks for the effect again.
        const url = context.actionUrl(waiting.nodeId);
        renders.push((r) => verbs.redirect(r, url));
        return { twiml: build(renders), state: waiting };
      }
      case 'end': {
        const { outcome } = transition;
        return {
          twiml: build(renders),
          state: { ...transition.state, awaiting: { kind: 'finished', outcome } },
          outcome,
        };
      }
    }
  }
}

function build(renders: readonly Render[]): string {
  const response = verbs.response();
  for (const render of renders) render(response);
  return response.toString();
}

function nodeAt(flow: Flow, nodeId: string): FlowNode {
  // Own keys only: "constructor" is no node, though every object answers to it.
  const node = Object.hasOwn(flow.nodes, nodeId) ? flow.nodes[nodeId] : undefined;
  if (!node) throw new IvrStateError(`flow "${flow.id}" v${flow.version} has no node "${nodeId}"`);
  return node;
}

function arrive(state: IvrState, nodeId: string): IvrState {
  return { ...state, nodeId, awaiting: { kind: 'entry' }, attempts: 0, path: [...state.path, nodeId] };
}

function answer(state: IvrState, answers: Record<string, string>): IvrState {
  return { ...state, answers: { ...state.answers, ...answers } };
}

const isEffectResult = (input: StepInput): input is EffectResult => 'identified' in input;

function resume(node: FlowNode, state: IvrState, input: StepInput, run: Run): Transition {
  const { awaiting } = state;
  switch (awaiting.kind) {
    case 'entry':
      return enter(node, state, run);
    case 'effect':
      // A webhook without the result (the Redirect after a prompt, or Twilio retrying) asks for it again.
      if (!isEffectResult(input)) return { kind: 'effect', state, effect: awaiting.effect };
      if (node.type !== 'identify') throw new IvrStateError(`node "${state.nodeId}" asks for no effect`);
      return identified(node, state, awaiting.effect, input.identified, run);
    case 'input':
      if (isEffectResult(input))
        throw new IvrStateError(`node "${state.nodeId}" waits for the caller, not an effect`);
      return heard(node, state, input, run);
    case 'recording':
      if (node.type !== 'voicemail') throw new IvrStateError(`node "${state.nodeId}" records nothing`);
      return { kind: 'goto', state, to: node.next };
    case 'finished':
      throw new IvrStateError(`the IVR already ended at node "${state.nodeId}" (${awaiting.outcome.kind})`);
  }
}

function enter(node: FlowNode, state: IvrState, run: Run): Transition {
  const { context } = run;
  const action = context.actionUrl(state.nodeId);
  const speakIn = (parent: Speaker, prompt: Prompt | undefined) => speak(parent, prompt, state.language, run);
  switch (node.type) {
    case 'say':
      return {
        kind: 'goto',
        state,
        to: node.next,
        render: (r) => speak(r, node.text, state.language, run, node.voice),
      };
    case 'play':
      return { kind: 'goto', state, to: node.next, render: (r) => verbs.play(r, node.url) };
    case 'set_language':
      return {
        kind: 'goto',
        state: answer({ ...state, language: node.language }, { language: node.language }),
        to: node.next,
      };
    case 'business_hours': {
      const open = isOpen(node.calendar, context.now);
      const key = node.saveAs ?? state.nodeId;
      return {
        kind: 'goto',
        state: answer(state, { [key]: open ? 'open' : 'closed' }),
        to: open ? node.open : node.closed,
      };
    }
    case 'menu':
      return askMenu(node, state, run);
    case 'identify':
      if (E164_PATTERN.test(context.callerNumber)) {
        return {
          kind: 'effect',
          state,
          effect: { kind: 'identify_by_number', number: context.callerNumber },
        };
      }
      // A withheld number ("anonymous") has nothing to look up: ask straight away.
      return askDigits(node, state, run);
    case 'callback_offer':
      return {
        kind: 'wait',
        awaiting: 'input',
        state,
        render: (r) => {
          const timeoutSeconds = node.timeoutSeconds ?? CALLBACK_DEFAULTS.timeoutSeconds;
          speakIn(verbs.gather(r, { action, timeoutSeconds, numDigits: 1 }), node.prompt);
          verbs.redirect(r, action);
        },
      };
    case 'voicemail':
      return {
        kind: 'wait',
        awaiting: 'recording',
        state,
        outcome: { kind: 'voicemail' },
        render: (r) => {
          speakIn(r, node.prompt);
          verbs.record(r, {
            action,
            recordingStatusCallback: context.recordingCallbackUrl,
            maxLengthSeconds: node.maxLengthSeconds ?? VOICEMAIL_DEFAULTS.maxLengthSeconds,
          });
          // Should Twilio go on without requesting the action URL (nothing recorded), this still returns to the flow.
          verbs.redirect(r, action);
        },
      };
    case 'route_to_queue': {
      const skills = [...(node.skills ?? []), ...(node.skillsByLanguage?.[state.language] ?? [])];
      return {
        kind: 'end',
        state: answer(state, { queue: node.queue }),
        outcome: {
          kind: 'enqueue',
          queue: node.queue,
          skills: [...new Set(skills)],
          priorityBoost: node.priorityBoost ?? 0,
        },
        // The IVR is done; whoever answers this URL once the state is finished (the ACD) puts the call in queue.
        render: (r) => {
          speakIn(r, node.prompt);
          verbs.redirect(r, action);
        },
      };
    }
    case 'transfer':
      return {
        kind: 'end',
        state,
        outcome: { kind: 'transfer', to: node.to },
        render: (r) => {
          speakIn(r, node.prompt);
          verbs.dial(r, node.to, node.timeoutSeconds ?? TRANSFER_DEFAULTS.timeoutSeconds);
        },
      };
    case 'hangup':
      return {
        kind: 'end',
        state,
        outcome: { kind: 'hangup' },
        render: (r) => {
          speakIn(r, node.text);
          verbs.hangup(r);
        },
      };
  }
}

function heard(node: FlowNode, state: IvrState, input: GatherInput, run: Run): Transition {
  switch (node.type) {
    case 'menu':
      return chooseFromMenu(node, state, input, run);
    case 'identify': {
      // '#' ends the entry and is not part of Digits; drop anything else that is not a digit, like '*'.
      const digits = (input.Digits ?? '').replace(/\D/g, '');
      if (!digits) return askDigitsAgain(node, state, run);
      const effect: Effect = { kind: 'identify_by_digits', digits };
      // Digits keyed in a sensitive node are not kept: the answers show on desks and in history.
      const entered = node.sensitive
        ? `${'•'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`
        : digits;
      return { kind: 'effect', state: answer(state, { enteredDigits: entered }), effect };
    }
    case 'callback_offer': {
      const key = node.saveAs ?? state.nodeId;
      if (input.Digits?.trim() === '1') {
        const outcome: IvrOutcome = { kind: 'callback_requested', queue: node.queue };
        return {
          kind: 'goto',
          state: answer(state, { [key]: 'requested' }),
          to: node.accepted ?? node.next,
          outcome,
        };
      }
      return { kind: 'goto', state: answer(state, { [key]: 'declined' }), to: node.next };
    }
    default:
      throw new IvrStateError(`node "${state.nodeId}" (${node.type}) takes no input`);
  }
}

function speak(
  parent: Speaker,
  prompt: Prompt | undefined,
  language: Language,
  run: Run,
  voices: Partial<Record<Language, string>> = {},
): void {
  if (prompt === undefined) return;
  const fallback = run.flow.language;
  for (const part of Array.isArray(prompt) ? prompt : [prompt]) {
    if ('language' in part) {
      verbs.say(parent, part.text, part.language, voices[part.language]);
      continue;
    }
    // Words missing in the caller's language are spoken in the flow's language, which every text has.
    const spoken = part[language] === undefined ? fallback : language;
    const text = part[spoken];
    if (text !== undefined) verbs.say(parent, text, spoken, voices[spoken]);
  }
}

function askMenu(node: NodeOfType<'menu'>, state: IvrState, run: Run, lead?: Prompt): Transition {
  const action = run.context.actionUrl(state.nodeId);
  const phrases = node.options.flatMap((option) => option.speech?.[state.language] ?? []);
  return {
    kind: 'wait',
    awaiting: 'input',
    state,
    render: (r) => {
      const listen = verbs.gather(r, {
        action,
        timeoutSeconds: node.timeoutSeconds ?? MENU_DEFAULTS.timeoutSeconds,
        numDigits: 1,
        // '#' ends a <Gather> by default and would never arrive as a choice.
        ...(node.options.some((option) => option.digit === '#') && { finishOnKey: '' }),
        ...(phrases.length > 0 && { speechLanguage: state.language, hints: phrases }),
      });
      speak(listen, lead, state.language, run);
      speak(listen, node.prompt, state.language, run);
      // Twilio moves on to the next verb when the caller stays silent: that comes back to us as no input.
      verbs.redirect(r, action);
    },
  };
}

function chooseFromMenu(node: NodeOfType<'menu'>, state: IvrState, input: GatherInput, run: Run): Transition {
  const key = node.saveAs ?? state.nodeId;
  const option = matchOption(node, input, state.language);
  if (option) return { kind: 'goto', state: answer(state, { [key]: option.value }), to: option.next };
  const said = Boolean(input.Digits?.trim() || input.SpeechResult?.trim());
  if (state.attempts < (node.retries ?? MENU_DEFAULTS.retries)) {
    const again = { ...state, attempts: state.attempts + 1 };
    return askMenu(node, again, run, said ? node.noMatchPrompt : node.noInputPrompt);
  }
  return said
    ? { kind: 'goto', state: answer(state, { [key]: 'no_match' }), to: node.noMatch }
    : { kind: 'goto', state: answer(state, { [key]: 'no_input' }), to: node.noInput };
}

function matchOption(
  node: NodeOfType<'menu'>,
  input: GatherInput,
  language: Language,
): MenuOption | undefined {
  const digits = input.Digits?.trim();
  if (digits) return node.options.find((option) => option.digit === digits);
  const speech = normalize(input.SpeechResult ?? '');
  if (!speech) return undefined;
  if (node.minConfidence !== undefined && Number(input.Confidence ?? 0) < node.minConfidence)
    return undefined;
  // Callers often say the key they were told to press.
  const byKey = node.options.find((option) => option.digit === speech);
  return (
    byKey ?? node.options.find((option) => (option.speech?.[language] ?? []).some((p) => says(speech, p)))
  );
}

/** Speech as compared with phrases: NFKC, lower case, no punctuation, single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const HAN = /\p{Script=Han}/u;

/** Chinese is written without spaces, so a Chinese phrase may be anywhere; others must be whole words. */
export function says(speech: string, phrase: string): boolean {
  const wanted = normalize(phrase);
  return HAN.test(wanted) ? speech.includes(wanted) : ` ${speech} `.includes(` ${wanted} `);
}

function askDigits(node: NodeOfType<'identify'>, state: IvrState, run: Run, lead?: Prompt): Transition {
  const { prompt } = node;
  if (prompt === undefined) return notIdentified(node, state);
  const action = run.context.actionUrl(state.nodeId);
  return {
    kind: 'wait',
    awaiting: 'input',
    state,
    render: (r) => {
      const timeoutSeconds = node.timeoutSeconds ?? IDENTIFY_DEFAULTS.timeoutSeconds;
      const listen = verbs.gather(r, { action, timeoutSeconds, finishOnKey: '#' });
      speak(listen, lead, state.language, run);
      speak(listen, prompt, state.language, run);
      verbs.redirect(r, action);
    },
  };
}

function askDigitsAgain(node: NodeOfType<'identify'>, state: IvrState, run: Run, lead?: Prompt): Transition {
  if (state.attempts >= (node.retries ?? IDENTIFY_DEFAULTS.retries)) return notIdentified(node, state);
  return askDigits(node, { ...state, attempts: state.attempts + 1 }, run, lead);
}

function notIdentified(node: NodeOfType<'identify'>, state: IvrState): Transition {
  return { kind: 'goto', state: answer(state, { identifiedBy: 'not_found' }), to: node.notFound };
}

function identified(
  node: NodeOfType<'identify'>,
  state: IvrState,
  effect: Effect,
  result: EffectResult['identified'],
  run: Run,
): Transition {
  if (result) {
    const identifiedBy = effect.kind === 'identify_by_number' ? 'caller_number' : 'digits';
    const answers = { customerId: String(result.customerId), identifiedBy };
    return { kind: 'goto', state: answer(state, answers), to: node.found };
  }
  if (effect.kind === 'identify_by_number') return askDigits(node, state, run);
  return askDigitsAgain(node, state, run, node.notFoundPrompt);
}
