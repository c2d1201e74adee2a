import type { Config } from '../config.js';

/**
 * Whether a browser Origin may call us (REST state changes and the socket handshake alike). The
 * allowed origins come from configuration only: a check against the request's own Host header
 * passes a DNS-rebinding page, whose requests carry its own name as Host.
 *
 * @param listenPort the port the server listens on, once it does (the loopback default follows it,
 *   so a server started on port 0 still admits its own console).
 */
export function createOriginPolicy(
  allowed: Config['allowedOrigins'],
  listenPort: () => number | null,
): (origin: string | undefined) => boolean {
  const list = new Set(allowed.list);
  return (origin) => {
    if (!origin) return false;
    let normalized: string;
    try {
      // Browsers send the serialized origin; parsing makes an explicit default port (":80") match too.
      normalized = new URL(origin).origin;
    } catch {
      return false;
    }
    if (normalized === 'null') return false;
    if (list.has(normalized)) return true;
    const port = allowed.loopback ? listenPort() : null;
    return (
      port !== null &&
      (normalized === `http://localhost:${port}` || normalized === `http://127.0.0.1:${port}`)
    );
  };
}

/** The TCP port a listening server is bound to, or null before it listens. */
export function boundPort(server: { address(): unknown }): number | null {
  const address = server.address();
  return address && typeof address === 'object' && 'port' in address ? Number(address.port) : null;
}
