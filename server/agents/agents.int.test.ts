import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

describe('agents, call queues and wrap-up codes API', () => {
  let ctx: TestContext;
  let admin: ReturnType<typeof as>;
  let agent: ReturnType<typeof as>;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'root', role: 'admin' });
        await makeAgent(db, { username: 'ana', role: 'agent' });
      },
    });
    admin = as(ctx.app, await login(ctx.app, 'root', 'test-password'));
    agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
  });
  afterEach(() => ctx.close());

  it('lets an admin create an agent who can then sign in; the password stays out of the audit log', async () => {
    const response = await admin('POST', '/api/agents', {
      username: 'li.na',
      displayName: '李娜',
      role: 'agent',
      password: 'a long password',
      skills: [{ skill: 'Billing', proficiency: 4 }],
      languages: ['zh-CN', 'en-US'],
      phoneNumber: '+86 138 0013 8000',
      audioTarget: 'phone',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      username: 'li.na',
      skills: [{ skill: 'billing', proficiency: 4 }],
      languages: ['en-US', 'zh-CN'],
      phoneNumber: '+8613800138000',
      audioTarget: 'phone',
      autoAccept: false,
    });
    expect(response.body).not.toContain('password');
    await login(ctx.app, 'li.na', 'a long password');

    const changed = await admin('PATCH', `/api/agents/${response.json().id}`, {
      password: 'another long one',
    });
    expect(changed.statusCode).toBe(200);
    const audit = JSON.stringify(ctx.db.prepare('SELECT details FROM audit_log').all());
    expect(audit).not.toContain('a long password');
    expect(audit).not.toContain('another long one');
  });

  it('turns auto-accept on and off, and only an admin may', async () => {
    const ana = (ctx.db.prepare("SELECT id FROM agents WHERE username = 'ana'").get() as { id: number }).id;
    expect((await agent('PATCH', `/api/agents/${ana}`, { autoAccept: true })).statusCode).toBe(403);
    const on = await admin('PATCH', `/api/agents/${ana}`, { autoAccept: true });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ autoAccept: true });
    expect(ctx.db.prepare('SELECT auto_accept FROM agents WHERE id = ?').pluck().get(ana)).toBe(1);
    expect((await admin('PATCH', `/api/agents/${ana}`, { autoAccept: 'yes' })).statusCode).toBe(400);
    expect((await admin('GET', `/api/agents/${ana}`)).json()).toMatchObject({ autoAccept: true });
    const off = await admin('PATCH', `/api/agents/${ana}`, { autoAccept: false });
    expect(off.json()).toMatchObject({ autoAccept: false });
  });

  it('ends the sessions of a disabled agent', async () => {
    const ana = (ctx.db.prepare("SELECT id FROM agents WHERE username = 'ana'").get() as { id: number }).id;
    expect((await admin('PATCH', `/api/agents/${ana}`, { active: false })).statusCode).toBe(200);
    expect((await agent('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('rejects bad agent input with clear messages', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ username: 'ana', displayName: 'Dup', role: 'agent', password: 'long enough' }, 409, /taken/],
      [{ username: 'x y', displayName: 'X', role: 'agent', password: 'long enough' }, 400, /username/],
      [{ username: 'bob', displayName: 'Bob', role: 'king', password: 'long enough' }, 400, /role/],
      [{ username: 'bob', displayName: 'Bob', role: 'agent', password: 'short' }, 400, /password/],
      [
        { username: 'bob', displayName: 'Bob', role: 'agent', password: 'long enough', audioTarget: 'phone' },
        400,
        /phoneNumber/,
      ],
      [
        {
          username: 'bob',
          displayName: 'Bob',
          role: 'agent',
          password: 'long enough',
          skills: [{ skill: 'x', proficiency: 9 }],
        },
        400,
        /proficiency/,
      ],
    ];
    for (const [payload, status, message] of cases) {
      const response = await admin('POST', '/api/agents', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json().message).toMatch(message);
    }
    expect(ctx.db.prepare('SELECT count(*) AS n FROM agents').get()).toEqual({ n: 2 });
  });

  it('lets everyone read call queues and codes, and only admins write them', async () => {
    expect((await agent('POST', '/api/queues', { name: 'Sales' })).statusCode).toBe(403);
    const created = await admin('POST', '/api/queues', {
      name: 'Sales',
      timeZone: 'Asia/Shanghai',
      slTargetSeconds: 30,
      skills: [{ skill: 'sales', minProficiency: 2 }],
      priorityRules: { tierBoost: { platinum: 120 } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const queue = created.json();
    expect(queue).toMatchObject({
      name: 'Sales',
      timeZone: 'Asia/Shanghai',
      strategy: 'longest_idle',
      acwPolicy: 'optional',
      joinEmpty: true,
      leaveWhenEmpty: false,
    });
    expect((await agent('GET', '/api/queues')).json().items).toHaveLength(1);

    const code = await admin('POST', '/api/wrap-up-codes', {
      setName: 'Sales codes',
      code: 'CHURN_RISK',
      label: 'Churn risk',
      action: 'lifecycle_change',
      actionLifecycleStage: 'at_risk',
    });
    expect(code.statusCode, code.body).toBe(201);
    const setId = code.json().setId;
    const updated = await admin('PATCH', `/api/queues/${queue.id}`, {
      wrapUpCodeSetId: setId,
      acwPolicy: 'timed',
      acwSeconds: 60,
      joinEmpty: false,
      leaveWhenEmpty: true,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ joinEmpty: false, leaveWhenEmpty: true, acwSeconds: 60 });
    expect((await agent('GET', `/api/wrap-up-codes?setId=${setId}`)).json().items[0]).toMatchObject({
      code: 'CHURN_RISK',
    });
    expect((await agent('PATCH', `/api/wrap-up-codes/${code.json().id}`, { label: 'x' })).statusCode).toBe(
      403,
    );
  });

  it('rejects inconsistent call queue and code settings and changes nothing', async () => {
    const queue = (await admin('POST', '/api/queues', { name: 'Support' })).json();
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/api/queues', { name: 'support' }, 409, /exists/],
      ['POST', '/api/queues', { name: 'X', timeZone: 'Mars/Olympus' }, 400, /time zone/],
      ['PATCH', `/api/queues/${queue.id}`, { overflowQueueId: queue.id }, 400, /itself/],
      ['PATCH', `/api/queues/${queue.id}`, { overflowQueueId: 999 }, 400, /does not exist/],
      ['PATCH', `/api/queues/${queue.id}`, { acwPolicy: 'timed' }, 400, /acwSeconds/],
      ['PATCH', `/api/queues/${queue.id}`, { wrapUpCodeSetId: 77 }, 400, /does not exist/],
      ['PATCH', '/api/queues/999', { priority: 1 }, 404, /does not exist/],
      [
        'POST',
        '/api/wrap-up-codes',
        { setName: 'S', code: 'X', label: 'X', action: 'lifecycle_change' },
        400,
        /actionLifecycleStage/,
      ],
      ['POST', '/api/wrap-up-codes', { setName: 'S', code: 'lower', label: 'X' }, 400, /code/],
    ];
    const before = JSON.stringify(ctx.db.prepare('SELECT * FROM call_queues').all());
    for (const [method, url, payload, status, message] of cases) {
      const response = await admin(method as 'POST', url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(status);
      expect(response.json().message).toMatch(message);
    }
    expect(JSON.stringify(ctx.db.prepare('SELECT * FROM call_queues').all())).toBe(before);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM wrap_up_codes').get()).toEqual({ n: 0 });
  });
});
