import { describe, expect, it } from 'vitest';
import { newSoftphoneIdentity, refreshDelayMs } from './softphone.js';

const at = (iso: string) => new Date(iso);

describe('refreshDelayMs', () => {
  it('asks for new credentials ten minutes before a long-lived set expires', () => {
    expect(refreshDelayMs(at('2026-01-01T12:00:00Z'), at('2026-01-01T00:00:00Z'))).toBe(
      12 * 3_600_000 - 10 * 60_000,
    );
  });

  it('asks halfway through a life shorter than twenty minutes', () => {
    expect(refreshDelayMs(at('2026-01-01T00:10:00Z'), at('2026-01-01T00:00:00Z'))).toBe(5 * 60_000);
  });

  it('asks at once for credentials already expired, and honours an explicit margin', () => {
    expect(refreshDelayMs(at('2026-01-01T00:00:00Z'), at('2026-01-01T01:00:00Z'))).toBe(0);
    expect(refreshDelayMs(at('2026-01-01T01:00:00Z'), at('2026-01-01T00:00:00Z'), 60_000)).toBe(59 * 60_000);
  });

  it('never waits longer than a browser timer can', () => {
    expect(refreshDelayMs(at('2027-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toBe(2_147_483_647);
  });
});

describe('newSoftphoneIdentity', () => {
  it('makes a SIP-safe contact name and an .invalid host, and a fresh one each time', () => {
    const identity = newSoftphoneIdentity();
    expect(identity.contactName).toMatch(/^[0-9a-f]{12}$/);
    expect(identity.viaHost).toMatch(/^[0-9a-f]{12}\.invalid$/);
    expect(identity.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newSoftphoneIdentity().instanceId).not.toBe(identity.instanceId);
  });
});
