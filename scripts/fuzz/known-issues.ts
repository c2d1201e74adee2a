import type { FailureKind, FuzzInput } from './report.js';

/**
 * Bugs the fuzzer found that are being fixed elsewhere, by issue 10's item number. An input that
 * would end the run (a crash) is not sent; a failure it explains is counted apart instead of
 * failing the run. Empty this list as the fixes land: the fuzzer then holds them fixed.
 */
export interface KnownIssue {
  /** Issue 10's item. */
  item: number;
  summary: string;
  skips?: (input: FuzzInput) => boolean;
  excuses?: (failure: {
    input: FuzzInput;
    /** The inputs just before, for a failure that may be theirs (a log line arriving late). */
    recent: FuzzInput[];
    kind: FailureKind;
    outcome: string;
  }) => boolean;
}

const malformedEscapes = (text: string) => {
  try {
    decodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
};

const twilioWebhook = (input: FuzzInput) => !('kind' in input) && input.path.startsWith('/twilio/');

/** Integers a JSON number cannot hold exactly (past 2^53), anywhere in a value. */
const unsafeIntegers = (value: unknown): boolean =>
  typeof value === 'number'
    ? Number.isInteger(value) && !Number.isSafeInteger(value)
    : value !== null && typeof value === 'object' && Object.values(value).some(unsafeIntegers);

const socketEventWithUnsafeIds = (input: FuzzInput) =>
  'kind' in input && input.kind === 'event' && unsafeIntegers(input.args);

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    item: 1,
    summary: 'a socket.io handshake whose session cookie is not valid percent-encoding kills the server',
    skips: (input) => 'kind' in input && input.kind === 'handshake' && malformedEscapes(input.cookie ?? ''),
  },
  {
    item: 15,
    summary:
      'signed Twilio webhooks answer 500 on what they do not expect: a repeated form key, a JSON body ' +
      'that is not an object, an interaction that does not exist (call-status, recording-status)',
    excuses: ({ input, kind, outcome }) =>
      twilioWebhook(input) &&
      kind === 'server error' &&
      /Too many parameter values|Cannot destructure|does not exist|FOREIGN KEY constraint failed/.test(
        outcome,
      ),
  },
  {
    item: 15,
    summary:
      'a desk socket event with an id past 2^53 passes the payload schema (no maximum), the ACD refuses it, ' +
      'and the agent gets "Something went wrong on our side" with an error logged',
    excuses: ({ input, recent, kind, outcome }) =>
      kind === 'error logged' &&
      /must be a positive integer/.test(outcome) &&
      [input, ...recent].some(socketEventWithUnsafeIds),
  },
];
