import { describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, useTestContext, login } from '../testing/harness.js';
import { maskPhoneNumbers } from './log-privacy.js';

describe('maskPhoneNumbers', () => {
  it.each([
    ['call from +1 415-555-0123 ended', 'call from [phone …23] ended'],
    ['from=%2B14155550123&to=x', 'from=[phone …23]&to=x'],
    ['(415) 555 0123', '([phone …23]'],
    ['+14155550123', '[phone …23]'],
  ])('masks %s', (text, masked) => {
    expect(maskPhoneNumbers(text)).toBe(masked);
  });

  it.each([
    '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '12345678-1234-1234-1234-123456789012',
    '2026-11-22T10:00:00.000Z',
    '192.168.100.200',
    'CA0123456789abcdef0123456789abcdef',
    'interaction 42 took 1234 ms',
  ])('leaves %s alone', (text) => {
    expect(maskPhoneNumbers(text)).toBe(text);
  });
});

describe('logs', () => {
  const ctx = useTestContext({
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana' });
      makeCustomer(db, { name: 'Jane Doe', phones: ['+14155550123'], emails: ['jane@example.com'] });
    },
  });

  it('keep customer searches (names, phones, e-mails) out of request lines', async () => {
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    for (const q of ['Jane Doe', '+1 415 555 0123', 'jane@example.com', '4155550123']) {
      expect((await ana('GET', `/api/customers?q=${encodeURIComponent(q)}`)).statusCode).toBe(200);
    }
    const logs = ctx.logs();
    expect(logs).toContain('/api/customers?[redacted]');
    for (const secret of ['Jane', 'jane', '4155550123', '415%20555', 'example.com']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('mask phone numbers in every line, whoever wrote it, and stay JSON', () => {
    ctx.app.log.warn({ caller: '+14155550123', agentId: 7 }, 'no agent for +1 (415) 555-0123');
    ctx.app.log.error({ err: new Error('customer 4155550123 not found') }, 'lookup failed');
    const lines = ctx.logs().trim().split('\n').slice(-2);
    expect(lines.join('\n')).not.toMatch(/415\D{0,2}555/);
    const [warn] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warn).toMatchObject({ caller: '[phone …23]', agentId: 7 });
    expect(typeof warn!.time).toBe('number');
  });
});
