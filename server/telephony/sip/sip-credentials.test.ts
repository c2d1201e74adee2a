import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSipCredentials, sipUserOf } from './sip-credentials.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const issuer = createSipCredentials({ sharedSecret: 'k'.repeat(40), domain: 'cti.test', ttlHours: 12 });
const digestHa1 = (username: string, password: string) =>
  createHash('md5').update(`${username}:cti.test:${password}`).digest('hex');

describe('SIP credentials', () => {
  it('issues a username that carries its expiry and the HA1 Kamailio checks a digest against', () => {
    const issued = issuer.issue('ana', NOW);
    expect(issued).toMatchObject({
      aor: 'sip:ana@cti.test',
      realm: 'cti.test',
      username: `${NOW.getTime() / 1000 + 12 * 3600}:ana`,
    });
    expect(issued.expiresAt.toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(issuer.ha1For(issued.username, 'ana', NOW)).toBe(digestHa1(issued.username, issued.password));
  });

  it('gives nothing for an expired, foreign or malformed username', () => {
    const { username } = issuer.issue('ana', NOW);
    expect(issuer.ha1For(username, 'ana', new Date(NOW.getTime() + 12 * 3_600_000))).toBeNull();
    expect(issuer.ha1For(username, 'ben', NOW)).toBeNull();
    expect(issuer.ha1For('ana', 'ana', NOW)).toBeNull();
    expect(issuer.ha1For(`${username}x`, 'ana', NOW)).toBeNull();
  });

  it('derives passwords from the shared secret: another secret, another password', () => {
    const other = createSipCredentials({ sharedSecret: 'j'.repeat(40), domain: 'cti.test', ttlHours: 12 });
    expect(other.issue('ana', NOW).password).not.toBe(issuer.issue('ana', NOW).password);
  });

  it('rings and registers only SIP users that are safe in a URI and in Kamailio', () => {
    expect(sipUserOf('sip:ana.silva@cti.test')).toBe('ana.silva');
    expect(sipUserOf('sips:+4930123@pbx.example.com;transport=tls')).toBe('+4930123');
    expect(sipUserOf('sip:a"b@cti.test')).toBeNull();
    expect(sipUserOf('sip:$ru@cti.test')).toBeNull();
    expect(sipUserOf('tel:+4930123')).toBeNull();
    expect(() => issuer.issue('a b', NOW)).toThrow(/cannot be a SIP user/);
  });
});
