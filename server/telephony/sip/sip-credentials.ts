import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A SIP user we register, ring and issue credentials for: safe inside a SIP URI and a Kamailio string. */
export const SIP_USER_PATTERN = /^[A-Za-z0-9_.+-]{1,64}$/;

/** The user part of `sip:user@host`, when it is one we can register and ring. */
export function sipUserOf(sipAddress: string): string | null {
  const user = /^sips?:([^@;]+)@/.exec(sipAddress)?.[1];
  return user !== undefined && SIP_USER_PATTERN.test(user) ? user : null;
}

/** What an Agent's softphone registers with. The password is a secret: never log it. */
export interface SipCredentials {
  /** The address of record the softphone registers, `sip:<user>@<domain>`. */
  aor: string;
  /** Digest username: `<expiry, epoch seconds>:<user>`. */
  username: string;
  password: string;
  realm: string;
  expiresAt: Date;
}

export interface SipCredentialsOptions {
  sharedSecret: string;
  domain: string;
  /** How long issued credentials work, in hours. */
  ttlHours: number;
}

/**
 * Per-Agent SIP credentials without a credential store. The digest username carries its expiry and
 * the SIP user it is for; the password is an HMAC of that username under a key derived from the
 * shared secret. Kamailio asks us for the HA1 of a username when a softphone registers; we recompute
 * the password, so nothing is stored, an expired or forged username gets nothing, and a leaked
 * password works only until its expiry and only for its own AOR.
 */
export function createSipCredentials({ sharedSecret, domain, ttlHours }: SipCredentialsOptions) {
  // A key of its own, so this HMAC never equals a value used elsewhere with the shared secret.
  const key = createHmac('sha256', sharedSecret).update('sip-credentials').digest();
  const passwordOf = (username: string) => createHmac('sha256', key).update(username).digest('base64url');

  return {
    issue(user: string, now: Date): SipCredentials {
      if (!SIP_USER_PATTERN.test(user)) throw new Error(`"${user}" cannot be a SIP user`);
      const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
      const username = `${Math.floor(expiresAt.getTime() / 1000)}:${user}`;
      return {
        aor: `sip:${user}@${domain}`,
        username,
        password: passwordOf(username),
        realm: domain,
        expiresAt,
      };
    },

    /**
     * The digest HA1 (MD5 of username:realm:password) Kamailio checks a REGISTER against, or null
     * when the username is malformed, expired, or not the owner of the AOR user being registered.
     */
    ha1For(username: string, aorUser: string, now: Date): string | null {
      const match = /^(\d{1,12}):(.+)$/.exec(username);
      if (!match || match[2] !== aorUser || !SIP_USER_PATTERN.test(aorUser)) return null;
      if (Number(match[1]) * 1000 <= now.getTime()) return null;
      return createHash('md5')
        .update(`${username}:${domain}:${passwordOf(username)}`)
        .digest('hex');
    },
  };
}

export type SipCredentialsIssuer = ReturnType<typeof createSipCredentials>;

/** Compares a presented `Authorization` header with the expected one without leaking where they differ. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
