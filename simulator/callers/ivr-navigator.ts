import type { Flow, FlowNode } from '../../ivr/index.js';
import type { CallerInput, GatherPrompt } from './caller-engine.js';

/** What a simulated caller wants from the IVR. */
export interface IvrChoices {
  /**
   * The option value to pick at each menu, by the menu's answer key (`saveAs`, else its node id):
   * `{ choose_language: 'en-US', department: 'billing' }`. A menu not named gets its first option.
   */
  menus?: Record<string, string>;
  /** Keys entered when asked to identify (without `#`). Default: just `#`, skipping it. */
  accountDigits?: string;
  /** Take a callback when offered one (press 1). Default false: stay on the line (the other key). */
  acceptCallback?: boolean;
}

/**
 * A caller script's `input` for a flow: recognises which node a `<Gather>` belongs to by its prompt
 * text (in any of the flow's languages) and answers as `choices` say. Reading the flow instead of
 * hard-coding digits keeps simulated callers right when the menus change.
 */
export function navigateFlow(
  flow: Flow,
  choices: IvrChoices = {},
): (prompt: GatherPrompt) => CallerInput | null {
  const nodes = Object.entries(flow.nodes).map(([id, node]) => ({ id, node, phrases: phrasesOf(node) }));
  return (prompt) => {
    const heard = normalize(prompt.text);
    // The longest matching phrase wins: a retry's lead ("Sorry, …") is another node's too.
    let best: { id: string; node: FlowNode; length: number } | null = null;
    for (const { id, node, phrases } of nodes) {
      for (const phrase of phrases) {
        if (phrase && heard.includes(phrase) && (!best || phrase.length > best.length)) {
          best = { id, node, length: phrase.length };
        }
      }
    }
    if (!best) return null;
    const { id, node } = best;
    switch (node.type) {
      case 'menu': {
        const wanted = choices.menus?.[node.saveAs ?? id];
        const option = node.options.find((o) => o.value === wanted) ?? node.options.find((o) => o.digit);
        if (!option) return null;
        if (option.digit !== undefined) return String(option.digit);
        const phrase = option.speech && Object.values(option.speech)[0]?.[0];
        return phrase ? { speech: phrase, confidence: 0.9 } : null;
      }
      case 'identify':
        return `${choices.accountDigits ?? ''}#`;
      case 'callback_offer':
        return choices.acceptCallback ? '1' : '2';
      default:
        return null;
    }
  };
}

/** The prompts a node may speak inside a `<Gather>`, normalised. */
function phrasesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'menu':
    case 'identify':
    case 'callback_offer':
      return textsOf(node.prompt).map(normalize);
    default:
      return [];
  }
}

function textsOf(prompt: Prompt | undefined): string[] {
  if (prompt === undefined) return [];
  return (Array.isArray(prompt) ? prompt : [prompt]).flatMap((part) =>
    'language' in part ? [part.text] : Object.values(part).filter((text): text is string => Boolean(text)),
  );
}

type Prompt = Extract<FlowNode, { type: 'menu' }>['prompt'];

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
