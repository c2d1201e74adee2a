import type { PhoneKind } from './people.js';
import type { SkillName } from './vocabulary.js';

export interface QueueSpec {
  name: string;
  timeZone: string;
  priority: number;
  priorityRules: object;
  strategy: 'longest_idle' | 'least_occupied' | 'skills_best_match' | 'round_robin';
  slTargetSeconds: number;
  slTargetPercent: number;
  maxWaitSeconds: number;
  maxWaitAction: 'voicemail' | 'callback' | 'hangup';
  overflowAfterSeconds: number | null;
  overflowTo: string | null;
  acwPolicy: 'none' | 'optional' | 'mandatory' | 'timed';
  acwSeconds: number | null;
  codeSet: string;
  recordingPolicy: 'none' | 'all' | 'on_demand';
  skill: SkillName;
  minProficiency: number;
  /** IVR option callers press for this queue. */
  menu: string;
  medianWaitSeconds: number;
}

// Overflow targets come before the queues that overflow into them, so their ids exist.
export const QUEUES: readonly QueueSpec[] = [
  {
    name: 'Sales',
    timeZone: 'America/New_York',
    priority: 10,
    priorityRules: {},
    strategy: 'longest_idle',
    slTargetSeconds: 20,
    slTargetPercent: 80,
    maxWaitSeconds: 300,
    maxWaitAction: 'callback',
    overflowAfterSeconds: null,
    overflowTo: null,
    acwPolicy: 'optional',
    acwSeconds: null,
    codeSet: 'Sales codes',
    recordingPolicy: 'all',
    skill: 'sales',
    minProficiency: 1,
    menu: '1',
    medianWaitSeconds: 10,
  },
  {
    name: 'Support',
    timeZone: 'Asia/Shanghai',
    priority: 20,
    priorityRules: { tierBoost: { platinum: 60, gold: 30 } },
    strategy: 'skills_best_match',
    slTargetSeconds: 30,
    slTargetPercent: 80,
    maxWaitSeconds: 600,
    maxWaitAction: 'voicemail',
    overflowAfterSeconds: null,
    overflowTo: null,
    acwPolicy: 'timed',
    acwSeconds: 60,
    codeSet: 'Support codes',
    recordingPolicy: 'all',
    skill: 'support',
    minProficiency: 1,
    menu: '2',
    medianWaitSeconds: 15,
  },
  {
    name: 'Billing',
    timeZone: 'Asia/Shanghai',
    priority: 15,
    priorityRules: {},
    strategy: 'least_occupied',
    slTargetSeconds: 30,
    slTargetPercent: 80,
    maxWaitSeconds: 480,
    maxWaitAction: 'voicemail',
    overflowAfterSeconds: null,
    overflowTo: null,
    acwPolicy: 'mandatory',
    acwSeconds: null,
    codeSet: 'Billing codes',
    recordingPolicy: 'on_demand',
    skill: 'billing',
    minProficiency: 2,
    menu: '3',
    medianWaitSeconds: 12,
  },
  {
    name: 'VIP',
    timeZone: 'America/New_York',
    priority: 50,
    priorityRules: { tierBoost: { platinum: 120, gold: 60, silver: 20 } },
    strategy: 'skills_best_match',
    slTargetSeconds: 20,
    slTargetPercent: 90,
    maxWaitSeconds: 180,
    maxWaitAction: 'callback',
    overflowAfterSeconds: 60,
    overflowTo: 'Support',
    acwPolicy: 'mandatory',
    acwSeconds: null,
    codeSet: 'VIP codes',
    recordingPolicy: 'all',
    skill: 'vip',
    minProficiency: 3,
    menu: '',
    medianWaitSeconds: 6,
  },
];

/** Where callers who are not VIPs end up, by who they are: new customers buy, unhappy ones complain. */
export const QUEUE_MIX: Record<
  'unknown' | 'new' | 'at_risk' | 'other',
  readonly (readonly [string, number])[]
> = {
  unknown: [
    ['Sales', 45],
    ['Support', 35],
    ['Billing', 20],
  ],
  new: [
    ['Sales', 50],
    ['Support', 30],
    ['Billing', 20],
  ],
  at_risk: [
    ['Sales', 20],
    ['Support', 45],
    ['Billing', 35],
  ],
  other: [
    ['Sales', 25],
    ['Support', 45],
    ['Billing', 30],
  ],
};

export interface AgentSpec {
  username: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'admin';
  uiLanguage: 'en' | 'zh-CN';
  languages: readonly string[];
  skills: Partial<Record<SkillName, number>>;
  /** Agents who take calls on their own phone rather than a SIP softphone. */
  phone?: PhoneKind;
}

export const EN = ['en-US'];
export const ZH = ['zh-CN'];
export const BOTH = ['en-US', 'zh-CN'];

export type AgentRow = [
  displayName: string,
  uiLanguage: 'en' | 'zh-CN',
  languages: readonly string[],
  skills: Partial<Record<SkillName, number>>,
  phone?: PhoneKind,
];

// Hand-made so every queue has at least five skilled agents and bilingual staff in each.
export const AGENT_ROWS: readonly AgentRow[] = [
  ['Emily Carter', 'en', EN, { sales: 5, support: 2, english: 5 }],
  ['王磊', 'zh-CN', BOTH, { support: 4, billing: 3, mandarin: 5, english: 3 }],
  ['Michael Brooks', 'en', EN, { sales: 4, vip: 4, english: 5 }, 'us'],
  ['Grace Liu', 'en', BOTH, { support: 5, vip: 3, english: 5, mandarin: 4 }],
  ['张敏', 'zh-CN', ZH, { billing: 4, support: 3, mandarin: 5 }],
  ['Daniel Wright', 'en', EN, { billing: 5, sales: 2, english: 5 }],
  ['Sophie Turner', 'en', EN, { support: 4, billing: 2, english: 5 }],
  ['李娜', 'zh-CN', BOTH, { sales: 4, vip: 3, mandarin: 5, english: 3 }, 'cnMobile'],
  ['Kevin Zhou', 'en', BOTH, { sales: 3, support: 3, english: 5, mandarin: 3 }],
  ['Olivia Bennett', 'en', EN, { vip: 5, support: 4, english: 5 }],
  ['陈晨', 'zh-CN', ZH, { support: 4, sales: 2, mandarin: 5 }],
  ['James Harrison', 'en', EN, { billing: 3, sales: 4, english: 5 }, 'ukMobile'],
  ['黄婷', 'zh-CN', BOTH, { billing: 4, vip: 4, mandarin: 5, english: 4 }],
  ['Ryan Mitchell', 'en', EN, { support: 3, english: 5 }],
  ['Amy Wu', 'en', BOTH, { sales: 5, billing: 2, english: 5, mandarin: 4 }],
  ['赵强', 'zh-CN', ZH, { support: 5, billing: 3, mandarin: 5 }],
  ['Hannah Clarke', 'en', EN, { sales: 3, support: 2, english: 5 }],
  ['周杰', 'zh-CN', BOTH, { vip: 4, sales: 3, mandarin: 5, english: 3 }, 'cnMobile'],
  ['Jessica Nguyen', 'en', EN, { billing: 4, support: 2, english: 5 }],
  ['David Lin', 'en', BOTH, { vip: 5, billing: 3, english: 5, mandarin: 4 }],
];

export const AGENTS: readonly AgentSpec[] = [
  { username: 'admin', displayName: 'Admin', role: 'admin', uiLanguage: 'en', languages: EN, skills: {} },
  {
    username: 'supervisor',
    displayName: 'Sarah Chen',
    role: 'supervisor',
    uiLanguage: 'en',
    languages: BOTH,
    skills: { english: 5, mandarin: 4 },
  },
  ...AGENT_ROWS.map(([displayName, uiLanguage, languages, skills, phone], index): AgentSpec => ({
    username: `agent${index + 1}`,
    displayName,
    role: 'agent',
    uiLanguage,
    languages,
    skills,
    ...(phone ? { phone } : {}),
  })),
];
