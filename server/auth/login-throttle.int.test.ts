import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { makeAgent } from '../testing/factories.js';
import { useTestContext, ORIGIN } from '../testing/harness.js';

describe('sign-in throttle', () => {
  const ctx = useTestContext({
    env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOGIN_ACCOUNT_ATTEMPTS: '3' },
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana', password: 'correct horse' });
      await makeAgent(db, { username: 'ben', password: 'battery staple' });
    },
  });

  let nextIp = 1;
  /** Each guess from another client address, as a distributed guesser sends them. */
  const signIn = (username: string, password: string, app: FastifyInstance = ctx.app) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: ORIGIN },
      remoteAddress: `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`,
      payload: { username, password },
    });

  it('makes an account wait, longer each time, whatever address the guesses come from', async () => {
    for (let guess = 0; guess < 4; guess += 1) expect((await signIn('ana', 'guess')).statusCode).toBe(401);
    const refused = await signIn('ana', 'correct horse');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['set-cookie']).toBeUndefined();
    // Another account is not held up.
    expect((await signIn('ben', 'battery staple')).statusCode).toBe(200);

    ctx.clock.advance(1000);
    expect((await signIn('ana', 'guess')).statusCode).toBe(401);
    expect((await signIn('ana', 'correct horse')).headers['retry-after']).toBe('2');
    ctx.clock.advance(2000);
    expect((await signIn('ana', 'correct horse')).statusCode).toBe(200);
    // A successful sign-in starts the count afresh.
    for (let guess = 0; guess < 3; guess += 1) expect((await signIn('ana', 'guess')).statusCode).toBe(401);
  });

  it('counts in Redis, so every server process sees the same account backing off', async () => {
    const other = await buildApp(ctx.config, { clock: ctx.clock });
    try {
      for (let guess = 0; guess < 4; guess += 1) {
        expect((await signIn('ana', 'guess', guess % 2 ? other : ctx.app)).statusCode).toBe(401);
      }
      expect((await signIn('ana', 'correct horse', other)).statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('sign-in throttle while Redis is down', () => {
  const ctx = useTestContext({
    env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3', LOGIN_ACCOUNT_ATTEMPTS: '100' },
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana', password: 'correct horse' });
    },
  });

  it('keeps limiting in the process instead of letting every guess through', async () => {
    ctx.app.redis.disconnect();
    const signIn = (password: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: ORIGIN },
        payload: { username: 'ana', password },
      });
    for (let guess = 0; guess < 3; guess += 1) expect((await signIn('guess')).statusCode).toBe(401);
    expect((await signIn('correct horse')).statusCode).toBe(429);
  });
});
