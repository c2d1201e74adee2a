/** What an event in `HTMLElementEventMap` carries; declare a console event there to fire it. */
type DetailOf<K extends keyof HTMLElementEventMap> =
  HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Fires a user-action event from a console element, its detail checked against the event's declaration.
 * It bubbles and crosses shadow roots, so the page or desk that owns the data hears it wherever the
 * element sits.
 */
export function emit<K extends keyof HTMLElementEventMap>(
  from: EventTarget,
  type: K,
  ...detail: [DetailOf<K>] extends [undefined | void] ? [] : [DetailOf<K>]
): void {
  from.dispatchEvent(new CustomEvent(type, { detail: detail[0], bubbles: true, composed: true }));
}

/** Focuses the element `selector` finds in `host`'s shadow root once its pending render is done. */
export async function focusRendered(
  host: HTMLElement & { updateComplete: Promise<unknown>; renderRoot: ParentNode },
  selector: string,
): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}
