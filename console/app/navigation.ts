/** History API navigation for the single-page console. The server answers every non-API path with index.html. */

const listeners = new Set<() => void>();

/** Goes to an in-app path and tells the router. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

/** Rewrites the address bar without routing, e.g. to keep a search query bookmarkable while typing. */
export function reflectInUrl(href: string): void {
  history.replaceState(null, '', href);
}

/** Calls `listener` after `navigate` and after the browser's back and forward buttons. */
export function onNavigate(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/**
 * Turns plain clicks on same-origin links anywhere under `root` (shadow roots included, via the composed
 * path) into in-app navigation. Modified clicks, new-window targets, downloads, API links and in-page
 * anchors keep the browser's behaviour.
 */
export function routeLinkClicks(root: HTMLElement): () => void {
  const onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event
      .composedPath()
      .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor?.href || anchor.hasAttribute('download')) return;
    if (anchor.target && anchor.target !== '_self') return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}
