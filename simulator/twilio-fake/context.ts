import type {
  DeliveryMode,
  FakeCall,
  FakeConference,
  FakeEvent,
  FakeRecording,
  FormParams,
  TwilioFakeOptions,
} from './types.js';

/** What every part of the fake shares: its options, its state and its listeners. */
export interface FakeContext {
  readonly options: TwilioFakeOptions;
  readonly accountSid: string;
  /** `/2010-04-01/Accounts/{AccountSid}`: every resource's path starts here. */
  readonly accountPath: string;
  readonly calls: Map<string, FakeCall>;
  readonly conferences: Map<string, FakeConference>;
  readonly recordings: Map<string, FakeRecording>;
  readonly listeners: Set<(event: FakeEvent) => void>;
  readonly timers: Set<NodeJS.Timeout>;
  /** How callbacks without a mode of their own are delivered. */
  delivery: DeliveryMode;
  /** Set by `close`: timers that fire afterwards do nothing. */
  closed: boolean;
}

export function emit(context: FakeContext, event: FakeEvent): void {
  for (const listener of context.listeners) listener(event);
}

export function later(context: FakeContext, ms: number, run: () => void): void {
  const timer = setTimeout(() => {
    context.timers.delete(timer);
    if (!context.closed) run();
  }, ms);
  context.timers.add(timer);
}

/** One REST request, its path's SIDs in order (`Conferences/{id}/Participants/{id}`). */
export interface RouteRequest {
  ids: string[];
  query: FormParams;
  form: FormParams;
}

/** Handlers by `METHOD Resource/*`; each answers `[status, JSON body]`, null for no body. */
export type Routes = Record<string, (request: RouteRequest) => [number, unknown]>;
