import { describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, useTestContext, login } from '../testing/harness.js';
import { maskCredentials, maskPhoneNumbers } from './log-privacy.js';

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

describe('maskCredentials', () => {
  const token = 'cti_0123456789ab_Abc-def_ghiJKLmnopQRStuvWXyz0123456789abcdefghi';

  it('keeps an API token’s public id and hides its secret', () => {
    expect(maskCredentials(`client sent ${token}.`)).toBe('client sent cti_0123456789ab_[redacted].');
  });

  it('hides any Bearer credential, once', () => {
    expect(maskCredentials('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
    expect(maskCredentials(`bearer ${token}`)).toBe('bearer [redacted]');
    expect(maskCredentials('Bearer [redacted]')).toBe('Bearer [redacted]');
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

  it('redact API tokens in every line, whoever wrote it', () => {
    const token = 'cti_0123456789ab_Abc-def_ghiJKLmnopQRStuvWXyz0123456789abcdefghi';
    ctx.app.log.warn({ authorization: `Bearer ${token}` }, `client sent ${token}`);
    const line = ctx.logs().trim().split('\n').at(-1)!;
    expect(line).not.toContain('ghiJKL');
    expect(JSON.parse(line)).toMatchObject({
      authorization: 'Bearer [redacted]',
      msg: 'client sent cti_0123456789ab_[redacted]',
    });
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
