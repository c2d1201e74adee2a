import { describe, expect, it } from 'vitest';
import { waitAnnouncement } from './twilio-wait.routes.js';

describe('the wait-loop announcement', () => {
  it.each([
    [{ position: 1, estimatedWaitSeconds: null }, 'en-US', 'You are next in line. Please stay on the line.'],
    [
      { position: 3, estimatedWaitSeconds: 70 },
      'en-US',
      'You are number 3 in line. The expected wait is about 1 minute. Please stay on the line.',
    ],
    [
      { position: 5, estimatedWaitSeconds: 400 },
      'en-US',
      'You are number 5 in line. The expected wait is about 7 minutes. Please stay on the line.',
    ],
    [
      { position: 2, estimatedWaitSeconds: 20 },
      'zh-CN',
      '您前面还有1位来电者。预计等待约1分钟。请不要挂机。',
    ],
  ] as const)('%j in %s', (info, language, text) => {
    expect(waitAnnouncement(info, language)).toBe(text);
  });
});
