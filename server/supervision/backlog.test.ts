import { describe, expect, it } from 'vitest';
import { backlogOf } from './backlog.js';
import type { QueueLive, QueuesLive } from './supervision.schemas.js';

const queue = (queueId: number, name: string, waitingSince: string[]): QueueLive =>
  ({
    queueId,
    name,
    waiting: waitingSince.map((since, index) => ({
      interactionId: queueId * 100 + index,
      position: index + 1,
      tier: 'bronze',
      customerName: 'Olivia Carter',
      callerNumber: '+14155550123',
      waitingSince: since,
    })),
  }) as QueueLive;

describe('backlogOf', () => {
  it('counts each queue’s callers, takes the earliest wait whatever the queue order, and names nobody', () => {
    // Position follows priority, not arrival: a gold caller who came later can be first in line.
    const live: QueuesLive = {
      at: '2026-12-07T09:00:00.000Z',
      queues: [
        queue(1, 'Billing', ['2026-12-07T08:59:30.000Z', '2026-12-07T08:58:00.000Z']),
        queue(2, 'Sales', []),
      ],
    };
    const backlog = backlogOf(live);
    expect(backlog).toEqual({
      at: '2026-12-07T09:00:00.000Z',
      queues: [
        { queueId: 1, name: 'Billing', waiting: 2, oldestWaitingSince: '2026-12-07T08:58:00.000Z' },
        { queueId: 2, name: 'Sales', waiting: 0, oldestWaitingSince: null },
      ],
    });
    expect(JSON.stringify(backlog)).not.toMatch(/Olivia|4155550123/);
  });
});
