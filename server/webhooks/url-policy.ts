import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless private URLs are allowed: loopback, private networks,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and unspecified.
 * An admin's URL is a request our server makes from inside the network; refusing these keeps a
 * subscription from probing it.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

const isPrivate = (address: string): boolean => {
  const family = isIP(address);
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
    return PRIVATE.check(address, 'ipv6');
  }
  return PRIVATE.check(address, 'ipv4');
};

/** Why a URL cannot be a webhook's, in words for the admin. */
export class WebhookUrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlRefused';
  }
}

/** Parses a webhook URL: http or https, no credentials in it; the fragment is dropped. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('The URL is not valid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlRefused('The URL must start with http:// or https://');
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefused('Put no user name or password in the URL: deliveries are signed');
  }
  url.hash = '';
  return url;
}

/**
 * Refuses a URL whose host is, or resolves to, a private address (see PRIVATE), unless
 * `allowPrivate`. Checked when the URL is saved and again before each attempt, so a name that
 * later resolves inside the network is caught then.
 */
export async function assertPublicAddress(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
    } catch {
      throw new WebhookUrlRefused(`The host ${host} does not resolve`);
    }
  }
  if (addresses.some(isPrivate)) {
    throw new WebhookUrlRefused(`The host ${host} is a private or local address`);
  }
}
