import { describe, expect, it } from 'vitest';
import { legReportOf } from './twilio-call-reader.js';

const at = (iso: string) => new Date(iso);

describe("a Twilio Call resource read as a leg's report", () => {
  it('takes an ended call’s answer from its end time less its duration, not its start time', () => {
    expect(
      legReportOf({
        status: 'completed',
        startTime: at('2026-12-06T10:00:00Z'),
        endTime: at('2026-12-06T10:00:30Z'),
        duration: '14',
      }),
    ).toEqual({
      status: 'ended',
      answered: true,
      answeredAt: at('2026-12-06T10:00:16Z'),
      endedAt: at('2026-12-06T10:00:30Z'),
      endStatus: 'completed',
    });
  });

  it('reads every end status but completed as never answered, ended when Twilio last changed it', () => {
    for (const status of ['busy', 'no-answer', 'failed', 'canceled'])
      expect(
        legReportOf({ status, endTime: null, duration: null, dateUpdated: at('2026-12-06T10:01:00Z') }),
      ).toEqual({
        status: 'ended',
        answered: false,
        answeredAt: null,
        endedAt: at('2026-12-06T10:01:00Z'),
        endStatus: status,
      });
  });

  it('reads a ringing leg as pending and a live one as answered, keeping unparsed dates out', () => {
    expect(legReportOf({ status: 'ringing', startTime: '' })).toMatchObject({
      status: 'pending',
      answered: false,
    });
    expect(legReportOf({ status: 'in-progress', startTime: at('2026-12-06T10:00:05Z') })).toMatchObject({
      status: 'answered',
      answeredAt: at('2026-12-06T10:00:05Z'),
    });
    expect(legReportOf({ status: 'in-progress', startTime: 'not a date' })).toMatchObject({
      answeredAt: null,
    });
  });
});
