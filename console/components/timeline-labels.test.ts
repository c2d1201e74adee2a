import { describe, expect, it } from 'vitest';
import { INTERACTION_EVENT_TYPES } from '../../contracts/interaction-events.js';
import { en, type MessageKey } from '../i18n/en.js';
import { formatDuration, formatTime, interpolate, languageName } from '../i18n/format.js';
import { zhCN } from '../i18n/zh-CN.js';
import {
  SHOWN_EVENT_FIELDS,
  eventFacts,
  eventLabel,
  ivrAnswerFacts,
  reasonText,
  type TimelineNames,
  type Words,
} from './timeline-labels.js';

function wordsIn(dictionary: Record<MessageKey, string>, locale: string): Words {
  return {
    t: (key, params) => interpolate(dictionary[key], params),
    duration: formatDuration,
    languageName: (tag) => languageName(tag, locale),
    time: (iso) => formatTime(iso, locale, 'UTC'),
  };
}

const LANGUAGES = [
  ['en', wordsIn(en, 'en')],
  ['zh-CN', wordsIn(zhCN, 'zh-CN')],
] as const;
const english = LANGUAGES[0][1];
const chinese = LANGUAGES[1][1];

const names: TimelineNames = {
  agents: { '3': 'Ana Lima', '7': 'Ben Okafor' },
  queues: { '2': 'Billing' },
  wrapUpCodes: { '5': 'Payment taken' },
};

/** What the server writes, one sample per kind of data, with the internal fields it carries. */
const SAMPLES: { type: string; data: Record<string, unknown> }[] = [
  { type: 'arrived', data: { provider: 'twilio', origin: 'transfer', parentInteractionId: 41 } },
  { type: 'queued', data: { queueId: 2, reason: 'transfer from Ben Okafor' } },
  {
    type: 'offered',
    data: { agentId: 3, reason: 'longest idle (8 s) among 3 with skill billing≥3' },
  },
  { type: 'offer_declined', data: { agentId: 3, reason: 'timed_out' } },
  { type: 'answered', data: { agentId: 3, late: true } },
  { type: 'resumed', data: { heldSeconds: 75 } },
  { type: 'recording_started', data: { recordingRef: 'RE0123456789abcdef' } },
  { type: 'recording_paused', data: { reason: 'ivr_sensitive', failure: 'provider_error' } },
  { type: 'customer_linked', data: { customerId: 12 } },
  { type: 'callback_queued', data: { interactionId: 99 } },
  { type: 'transferred', data: { toAgentId: 7, queueId: 2 } },
  { type: 'ended', data: { outcome: 'transferred' } },
  { type: 'wrap_up_submitted', data: { wrapUpCodeId: 5, notes: 'Paid by card' } },
  { type: 'survey_ended', data: { status: 'completed', swept: true, score: 4, resolved: true } },
];

const INTERNAL = ['recordingRef', 'RE0123456789abcdef', 'provider', 'twilio', 'customerId', '99', '41', '12'];

describe('timeline event labels', () => {
  it.each(LANGUAGES)('names every timeline event type in %s', (_, words) => {
    for (const type of INTERACTION_EVENT_TYPES) {
      const key = `event.${type}`;
      expect(key in en, `${key} has no English words`).toBe(true);
      expect(key in zhCN, `${key} has no Chinese words`).toBe(true);
      expect(eventLabel(type, words)).not.toContain('_');
    }
  });

  it('says each event type in Chinese, not in English', () => {
    for (const type of INTERACTION_EVENT_TYPES) {
      expect(eventLabel(type, chinese)).not.toBe(eventLabel(type, english));
      expect(eventLabel(type, chinese)).toMatch(/\p{Script=Han}/u);
    }
  });

  it('reads an unknown type from a newer server as words', () => {
    expect(eventLabel('agent_waved', english)).toBe('Agent waved');
  });
});

describe('timeline event facts', () => {
  it.each(LANGUAGES)('leaks no internal field or id in %s', (_, words) => {
    for (const event of SAMPLES) {
      for (const { label, value } of eventFacts(event, names, words)) {
        const shown = `${label} ${value}`;
        for (const internal of INTERNAL) expect(shown).not.toContain(internal);
        expect(shown).not.toMatch(/[a-z]+[A-Z][a-z]+|[a-z]+_[a-z]+/);
      }
    }
  });

  it('shows no field it has no words for', () => {
    expect(SHOWN_EVENT_FIELDS).not.toContain('recordingRef');
    expect(eventFacts({ type: 'arrived', data: { rawProvider: { a: 1 } } }, names, english)).toEqual([]);
  });

  it('names the wrap-up code, the queue and agents, never their ids', () => {
    const wrapUp = eventFacts(
      SAMPLES.find((e) => e.type === 'wrap_up_submitted')!,
      names,
      english,
    );
    expect(wrapUp).toEqual([
      { label: 'Wrap-up code', value: 'Payment taken' },
      { label: 'Notes', value: 'Paid by card' },
    ]);
    const transfer = eventFacts(
      SAMPLES.find((e) => e.type === 'transferred')!,
      names,
      chinese,
    );
    expect(transfer).toEqual([
      { label: '转接给', value: 'Ben Okafor' },
      { label: '队列', value: 'Billing' },
    ]);
  });

  it('formats durations, outcomes and reasons in the reader language', () => {
    expect(eventFacts({ type: 'resumed', data: { heldSeconds: 75 } }, names, english)).toEqual([
      { label: 'On hold', value: '1:15' },
    ]);
    expect(eventFacts({ type: 'ended', data: { outcome: 'transferred' } }, names, chinese)[0]!.value).toBe(
      zhCN['outcome.transferred'],
    );
    expect(
      eventFacts({ type: 'offer_declined', data: { agentId: 3, reason: 'timed_out' } }, names, english),
    ).toEqual([{ label: 'Why', value: 'Not answered in time' }]);
  });

  it('words routing reasons without naming anyone by id', () => {
    expect(reasonText('longest idle (12 s) among 3 with skill billing≥3', english)).toBe(
      'Longest idle (12 s) · chosen from 3 agents',
    );
    expect(reasonText('transfer from Ben Okafor', chinese)).toBe('由 Ben Okafor 转接');
    expect(reasonText('moved by supervisor Sue Park', english)).toBe('Moved by supervisor Sue Park');
    expect(reasonText('caller_hung_up', chinese)).toBe('来电者已先挂断');
    expect(reasonText('line_on_fire', english)).toBe('Line on fire');
  });
});

describe('IVR answers', () => {
  const answers = {
    choose_language: 'zh-CN',
    language: 'zh-CN',
    customerId: '12',
    identifiedBy: 'caller_number',
    office_hours: 'open',
    department: 'billing',
    callback: 'declined',
    main_menu: 'no_match',
    pick_colour: 'deep_blue',
  };

  it('labels the common answers and hides the customer id', () => {
    expect(ivrAnswerFacts(answers, english)).toEqual([
      { label: 'Language chosen', value: 'Chinese (China)' },
      { label: 'Language chosen', value: 'Chinese (China)' },
      { label: 'Identified by', value: 'Their caller number' },
      { label: 'Office hours', value: 'Open' },
      { label: 'Department chosen', value: 'Billing' },
      { label: 'Callback offer', value: 'Declined' },
      { label: 'Menu choice', value: 'No valid choice' },
      { label: 'Pick colour', value: 'Deep blue' },
    ]);
  });

  it('says them in Chinese, and shows no raw key in either language', () => {
    const zh = ivrAnswerFacts(answers, chinese);
    expect(zh[2]).toEqual({ label: '识别方式', value: '来电号码' });
    for (const [, words] of LANGUAGES) {
      for (const { label, value } of ivrAnswerFacts(answers, words)) {
        expect(`${label} ${value}`).not.toMatch(/_|identifiedBy|customerId|caller_number/);
      }
    }
  });
});
