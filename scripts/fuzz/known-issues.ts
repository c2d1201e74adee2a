import type { FuzzRequest } from './http.js';
import type { SocketCase } from './sockets.js';

/**
 * Bugs the fuzzer found that are being fixed elsewhere, by issue 10's item number. Inputs matching
 * one are not sent (a crash would end the run), and are counted apart. Empty this list as the fixes
 * land: the fuzzer then covers those inputs again.
 */
export interface KnownIssue {
  /** Issue 10's item. */
  item: number;
  summary: string;
  matches(fuzz: FuzzRequest | SocketCase): boolean;
}

const malformedEscapes = (text: string) => {
  try {
    decodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
};

const repeatsFormKeys = (fuzz: FuzzRequest) => {
  if (!fuzz.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return false;
  const keys = [...new URLSearchParams(fuzz.body ?? '').keys()];
  return new Set(keys).size !== keys.length;
};

const isRequest = (fuzz: FuzzRequest | SocketCase): fuzz is FuzzRequest => !('kind' in fuzz);

const hugeNumbers = (value: unknown): boolean =>
  typeof value === 'number'
    ? Number.isInteger(value) && !Number.isSafeInteger(value)
    : value !== null && typeof value === 'object' && Object.values(value).some(hugeNumbers);

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    item: 1,
    summary: 'a socket.io handshake whose session cookie is not valid percent-encoding kills the server',
    matches: (fuzz) => !isRequest(fuzz) && fuzz.kind === 'handshake' && malformedEscapes(fuzz.cookie ?? ''),
  },
  {
    item: 15,
    summary: 'a Twilio webhook with a repeated form key (CallSid=a&CallSid=b) answers 500',
    matches: (fuzz) => isRequest(fuzz) && fuzz.path.startsWith('/twilio/') && repeatsFormKeys(fuzz),
  },
  {
    item: 15,
    summary:
      'a desk socket event with an id past 2^53 (passes the payload schema, refused by the ACD) answers "Something went wrong on our side" and logs an error',
    matches: (fuzz) => !isRequest(fuzz) && fuzz.kind === 'event' && hugeNumbers(fuzz.args),
  },
];

export const knownIssueOf = (fuzz: FuzzRequest | SocketCase) =>
  KNOWN_ISSUES.find((issue) => issue.matches(fuzz)) ?? null;
