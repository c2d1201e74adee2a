import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../clock.js';
import { REDIS_URL } from '../../testing/harness.js';
import { createKamailioControl } from './kamailio-control.js';
import { createSipCommands } from './sip-commands.js';
import { createSipWaiting } from './sip-waiting.js';

describe('SIP transfers that need no call to reach Kamailio', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  afterEach(() => redis.disconnect());

  const commands = (refer = vi.fn()) =>
    createSipCommands({
      // Never reached: both commands are refused before anything is sent.
      control: createKamailioControl({
        controlUrl: new URL('http://127.0.0.1:9'),
        sharedSecret: 'x'.repeat(32),
      }),
      waiting: createSipWaiting({ redis, prefix: 'unused:', ttlSeconds: 60 }),
      transfer: {
        refer,
        sharedSecret: 'x'.repeat(32),
        edgeAddress: '127.0.0.1:5060',
        trunk: null,
        clock: systemClock,
      },
    });
  const target = { interactionId: 1, provider: 'sip' as const, providerCallId: 'c@h', conferenceName: 'i-1' };

  it('refuses an outside number without a trunk, with a clear reason, and asks no softphone', async () => {
    const refer = vi.fn();
    await expect(
      commands(refer).transfer({
        ...target,
        to: { kind: 'number', phoneNumber: '+14155550199' },
        mode: 'blind',
      }),
    ).rejects.toMatchObject({ failure: 'unsupported', message: expect.stringMatching(/SIP_TRANSFER_TRUNK/) });
    expect(refer).not.toHaveBeenCalled();
  });

  it('refuses a consultation (warm transfer): the proxy cannot hold the caller', async () => {
    const refer = vi.fn();
    await expect(
      commands(refer).transfer({
        ...target,
        to: { kind: 'number', phoneNumber: '+14155550199' },
        mode: 'warm',
      }),
    ).rejects.toMatchObject({ failure: 'unsupported' });
    expect(refer).not.toHaveBeenCalled();
  });

  it('refuses every recording command with a clear reason: no media server records SIP calls', async () => {
    const sip = commands();
    for (const command of ['startRecording', 'pauseRecording', 'resumeRecording', 'stopRecording'] as const) {
      await expect(sip[command](target)).rejects.toMatchObject({
        failure: 'unsupported',
        message: 'Recording is not possible on SIP calls yet',
      });
    }
  });
});
