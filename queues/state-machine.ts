import { IllegalTransitionError, type MachineName } from './errors.js';

/**
 * One row of a transition table: `event` moves the machine from any state in `from` to `to`.
 * Guards are data rather than functions so the Lua scripts evaluate the very same table.
 */
export interface Transition<S extends string, E extends string, G extends object = Record<never, never>> {
  readonly event: E;
  readonly from: readonly S[];
  readonly to: S;
  /** Named guards: the row applies only when each listed flag of the event's guards has this value. */
  readonly when?: Readonly<Partial<G>>;
}

export interface Machine<
  S extends string,
  E extends string,
  G extends object,
  T extends Transition<S, E, G>,
> {
  readonly name: MachineName;
  /** Tried in order; the first row whose event, source state and guards match wins. */
  readonly transitions: readonly T[];
  /** The row `event` takes from `from`; throws IllegalTransitionError when there is none. */
  step(from: S, event: E, guards?: G, id?: number): T;
}

export function defineMachine<
  S extends string,
  E extends string,
  G extends object,
  T extends Transition<S, E, G> = Transition<S, E, G>,
>(name: MachineName, transitions: readonly T[]): Machine<S, E, G, T> {
  const guardsHold = (row: T, guards: G | undefined) =>
    Object.entries(row.when ?? {}).every(
      ([flag, value]) => guards !== undefined && (guards as Record<string, unknown>)[flag] === value,
    );
  return {
    name,
    transitions,
    step(from, event, guards, id) {
      const row = transitions.find(
        (t) => t.event === event && t.from.includes(from) && guardsHold(t, guards),
      );
      if (!row) throw new IllegalTransitionError(name, from, event, id);
      return row;
    },
  };
}
