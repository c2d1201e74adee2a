import { isValidPhoneNumber } from 'libphonenumber-js/max';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';

export interface DemoDataOptions {
  /** Customers to create. Default 5000. */
  customers?: number;
  /** Days of interaction history ending at `now`. Default 90. */
  days?: number;
  /** Average interactions per day across all queues. Default 667 (~60,000 over 90 days). */
  interactionsPerDay?: number;
  /** PRNG seed; the same seed and options give the same rows. Default 20261122. */
  seed?: number;
  /**
   * End of the history; default new Date(). Customers, agents and queues differ only in their
   * timestamps; the call history also follows the weekday and hour of `now`.
   */
  now?: Date;
  /** argon2 hash of the demo password, computed by the caller (same hash for every demo user). */
  passwordHash: string;
}

export interface DemoDataSummary {
  customers: number;
  phones: number;
  emails: number;
  agents: number;
  queues: number;
  interactions: number;
  events: number;
  followUps: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Randomness

class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny and fast, and unlike Math.random it can be seeded. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return itemAt(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let target = this.next() * total;
    for (const [item, weight] of entries) {
      target -= weight;
      if (target < 0) return item;
    }
    return itemAt(entries, entries.length - 1)[0];
  }

  digits(count: number): string {
    let result = '';
    for (let i = 0; i < count; i++) result += String(Math.floor(this.next() * 10));
    return result;
  }

  /** Waits and talk times have a long right tail, which a log-normal around the median gives. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * z);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [itemAt(items, j), itemAt(items, i)];
    }
    return items;
  }
}

function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

/** "王wang 李li" → [["王", "wang"], ["李", "li"]]: Chinese characters with their pinyin. */
function hanPinyin(text: string): (readonly [string, string])[] {
  return [...text.matchAll(/(\p{Script=Han}+)([a-z]+)/gu)].map(
    (match) => [match[1] ?? '', match[2] ?? ''] as const,
  );
}

function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`No item at index ${index} of ${items.length}`);
  return item;
}

/** Picks indexes in proportion to fixed weights in O(log n), for the thousands of customers and hours. */
class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((weight, index) => {
      total += weight;
      this.cumulative[index] = total;
    });
    if (!(total > 0)) throw new Error('WeightedSampler needs a positive total weight');
  }

  sample(random: Random): number {
    const cumulative = this.cumulative;
    const target = random.next() * (cumulative[cumulative.length - 1] ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (value: number) => Math.round(value * SECOND);

// ---------------------------------------------------------------------------------------------
// Vocabulary

type Tier = 'platinum' | 'gold' | 'silver' | 'bronze';
type Stage = 'new' | 'active' | 'at_risk' | 'lost' | 'won_back';
type SkillName = 'sales' | 'support' | 'billing' | 'vip' | 'english' | 'mandarin';
type Language = 'zh-CN' | 'en-US' | 'en-GB';
type CodeAction = 'none' | 'schedule_callback' | 'do_not_call' | 'lifecycle_change';

const SKILLS: readonly SkillName[] = ['sales', 'support', 'billing', 'vip', 'english', 'mandarin'];

const TIER_SHARE: readonly (readonly [Tier, number])[] = [
  ['platinum', 0.02],
  ['gold', 0.08],
  ['silver', 0.25],
  ['bronze', 0.65],
];
const STAGES: readonly (readonly [Stage, number])[] = [
  ['active', 68],
  ['new', 8],
  ['at_risk', 9],
  ['lost', 7],
  ['won_back', 8],
];
/** Valuable customers call more, unhappy ones more still, lost ones hardly. */
const CALL_WEIGHT_OF_TIER: Record<Tier, number> = { platinum: 8, gold: 4, silver: 1.8, bronze: 1 };
const CALL_WEIGHT_OF_STAGE: Record<Stage, number> = {
  new: 1.3,
  active: 1,
  at_risk: 1.5,
  lost: 0.3,
  won_back: 1.2,
};
const PLANS_OF_TIER: Record<Tier, readonly string[]> = {
  platinum: ['Enterprise'],
  gold: ['Enterprise', 'Business'],
  silver: ['Business', 'Pro'],
  bronze: ['Pro', 'Basic', 'Basic'],
};
const TAGS = ['newsletter', 'early-adopter', 'reseller', 'complaint-history', 'prefers-email', 'late-payer'];
const TAGS_OF_VALUABLE = ['key-account', 'annual-contract'];

interface Code {
  code: string;
  label: string;
  weight: number;
  action?: CodeAction;
  stage?: Stage;
}

const CALLBACK_REQUESTED: Code = {
  code: 'CALLBACK_REQUESTED',
  label: 'Callback requested',
  weight: 4,
  action: 'schedule_callback',
};
const DO_NOT_CALL: Code = { code: 'DO_NOT_CALL', label: 'Do not call', weight: 0.15, action: 'do_not_call' };
const CHURN_RISK: Code = {
  code: 'CHURN_RISK',
  label: 'Churn risk',
  weight: 4,
  action: 'lifecycle_change',
  stage: 'at_risk',
};
const WON_BACK: Code = {
  code: 'WON_BACK',
  label: 'Customer won back',
  weight: 3,
  action: 'lifecycle_change',
  stage: 'won_back',
};

const CODE_SETS: Record<string, readonly Code[]> = {
  'Sales codes': [
    { code: 'SALE_CLOSED', label: 'Sale closed', weight: 22 },
    { code: 'QUOTE_SENT', label: 'Quote sent', weight: 25 },
    { code: 'INFO_PROVIDED', label: 'Product information provided', weight: 28 },
    { code: 'NOT_INTERESTED', label: 'Not interested', weight: 12 },
    CALLBACK_REQUESTED,
    WON_BACK,
    DO_NOT_CALL,
  ],
  'Support codes': [
    { code: 'RESOLVED', label: 'Resolved on first contact', weight: 50 },
    { code: 'TICKET_CREATED', label: 'Ticket created', weight: 18 },
    { code: 'ESCALATED', label: 'Escalated to tier 2', weight: 12 },
    { code: 'KB_ARTICLE_SENT', label: 'Help article sent', weight: 8 },
    CALLBACK_REQUESTED,
    CHURN_RISK,
  ],
  'Billing codes': [
    { code: 'INVOICE_EXPLAINED', label: 'Invoice explained', weight: 30 },
    { code: 'PAYMENT_TAKEN', label: 'Payment taken', weight: 25 },
    { code: 'REFUND_ISSUED', label: 'Refund issued', weight: 12 },
    { code: 'PAYMENT_PLAN', label: 'Payment plan agreed', weight: 8 },
    CALLBACK_REQUESTED,
    CHURN_RISK,
    DO_NOT_CALL,
  ],
  'VIP codes': [
    { code: 'RESOLVED', label: 'Resolved', weight: 45 },
    { code: 'ACCOUNT_REVIEW', label: 'Account review scheduled', weight: 15 },
    { code: 'ESCALATED', label: 'Escalated to account manager', weight: 12 },
    { code: 'UPSELL_OPPORTUNITY', label: 'Upsell opportunity', weight: 10 },
    CALLBACK_REQUESTED,
    CHURN_RISK,
    WON_BACK,
  ],
};

type Notes = { en: readonly string[]; zh: readonly string[] };

const CALLBACK_REQUESTED_NOTES: Notes = {
  en: ['Customer asked for a call back tomorrow morning.', 'Needs to check with finance, call back later.'],
  zh: ['客户要求明天上午回电。', '需要和财务确认，稍后回电。'],
};
/** Call notes by wrap-up code; {n} becomes a reference number and {amount} a sum of money. */
const NOTES: Record<string, Notes> = {
  SALE_CLOSED: {
    en: ['Upgraded to the annual plan, order #{n}.', 'Bought 5 extra seats; invoice to follow.'],
    zh: ['客户升级为年付套餐，订单号 {n}。', '追加购买5个席位，发票随后寄出。'],
  },
  QUOTE_SENT: {
    en: ['Sent quote Q-{n} for the Business plan.', 'Emailed pricing for 20 seats, decision next week.'],
    zh: ['已发送报价单 Q-{n}。', '已邮件发送20个席位的报价，客户下周决定。'],
  },
  INFO_PROVIDED: {
    en: [
      'Explained the difference between Pro and Business.',
      'Asked about integrations; sent the product sheet.',
    ],
    zh: ['介绍了专业版和商务版的区别。', '客户询问系统集成，已发送产品资料。'],
  },
  NOT_INTERESTED: {
    en: [
      'Happy with current provider, not interested for now.',
      'Price too high for their budget this year.',
    ],
    zh: ['客户对现有供应商满意，暂无需求。', '今年预算不足，暂不考虑。'],
  },
  CALLBACK_REQUESTED: CALLBACK_REQUESTED_NOTES,
  WON_BACK: {
    en: [
      'Returning after a year away; applied the welcome-back offer.',
      'Reactivated account with 20% discount.',
    ],
    zh: ['老客户回归，已应用回归优惠。', '已重新激活账户，给予八折优惠。'],
  },
  DO_NOT_CALL: {
    en: ['Asked not to be called again; marked do not call.', 'Requested removal from all call lists.'],
    zh: ['客户要求不要再致电，已标记为勿扰。', '客户要求从所有呼叫名单中删除。'],
  },
  RESOLVED: {
    en: ['Password reset, customer can log in again.', 'Walked through the setup; issue fixed on the call.'],
    zh: ['已重置密码，客户可以正常登录。', '指导客户完成设置，问题已解决。'],
  },
  TICKET_CREATED: {
    en: ['Sync errors since the update, ticket #{n} created.', 'Reported a bug in exports, ticket #{n}.'],
    zh: ['更新后同步出错，已创建工单 #{n}。', '客户反馈导出功能有问题，工单 #{n}。'],
  },
  ESCALATED: {
    en: [
      'Outage affecting their whole team, escalated.',
      'Data issue beyond first line, escalated with logs.',
    ],
    zh: ['影响整个团队的故障，已升级处理。', '数据问题超出一线范围，已附日志升级。'],
  },
  KB_ARTICLE_SENT: {
    en: ['Sent the help article on exporting reports.', 'Shared the guide for setting up SSO.'],
    zh: ['已发送报表导出的帮助文档。', '已分享单点登录配置指南。'],
  },
  CHURN_RISK: {
    en: [
      'Unhappy with recent outages, considering cancelling.',
      'Comparing us with a competitor, price sensitive.',
    ],
    zh: ['对最近的故障不满，考虑取消服务。', '正在和竞争对手比较，对价格敏感。'],
  },
  INVOICE_EXPLAINED: {
    en: [
      'Explained the prorated charge on invoice INV-{n}.',
      'Walked through the tax lines on the last invoice.',
    ],
    zh: ['解释了发票 INV-{n} 上的按比例计费。', '说明了上期账单中的税费明细。'],
  },
  PAYMENT_TAKEN: {
    en: ['Took payment of ${amount} by card.', 'Updated the card on file and settled the balance.'],
    zh: ['已通过银行卡收款 {amount} 元。', '已更新付款卡信息并结清余额。'],
  },
  REFUND_ISSUED: {
    en: ['Refunded ${amount} for the double charge.', 'Refund issued for unused seats.'],
    zh: ['重复扣款，已退款 {amount} 元。', '未使用席位的费用已退款。'],
  },
  PAYMENT_PLAN: {
    en: ['Agreed three monthly instalments.', 'Payment plan set up for the overdue balance.'],
    zh: ['同意分三期付款。', '已为逾期款项设置分期付款计划。'],
  },
  ACCOUNT_REVIEW: {
    en: ['Booked quarterly account review with their CTO.', 'Account review set for next week.'],
    zh: ['已预约与客户技术负责人的季度账户回顾。', '下周进行账户回顾。'],
  },
  UPSELL_OPPORTUNITY: {
    en: ['Expanding to a second office, interested in more seats.', 'Asked about the analytics add-on.'],
    zh: ['客户将开设第二个办公室，有增购意向。', '客户询问数据分析增值模块。'],
  },
};
const NOTES_WITHOUT_CODE: Notes = {
  en: ['General question, answered.', 'Customer called to confirm account details.'],
  zh: ['一般咨询，已解答。', '客户来电核对账户信息。'],
};
/** Tasks agents leave themselves after these codes, with their notes. */
const TASK_NOTES: Record<string, Notes> = {
  QUOTE_SENT: { en: ['Follow up on quote Q-{n}.'], zh: ['跟进报价单 Q-{n}。'] },
  TICKET_CREATED: { en: ['Update customer on ticket #{n}.'], zh: ['向客户反馈工单 #{n} 的进展。'] },
  ESCALATED: { en: ['Check progress of the escalation with tier 2.'], zh: ['跟进升级问题的处理进度。'] },
  REFUND_ISSUED: {
    en: ['Confirm the refund of ${amount} has posted.'],
    zh: ['确认 {amount} 元退款已到账。'],
  },
  ACCOUNT_REVIEW: { en: ['Prepare usage report for the account review.'], zh: ['为账户回顾准备使用报告。'] },
  CHURN_RISK: { en: ['Offer a retention discount.'], zh: ['提供挽留优惠方案。'] },
};
const QUEUE_CALLBACK_NOTES: Notes = {
  en: ['Chose a callback instead of waiting in the queue.'],
  zh: ['客户在排队时选择了回电。'],
};

interface QueueSpec {
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
const QUEUES: readonly QueueSpec[] = [
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
const QUEUE_MIX: Record<'unknown' | 'new' | 'at_risk' | 'other', readonly (readonly [string, number])[]> = {
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

interface AgentSpec {
  username: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'admin';
  uiLanguage: 'en' | 'zh-CN';
  languages: readonly string[];
  skills: Partial<Record<SkillName, number>>;
  /** Agents who take calls on their own phone rather than a SIP softphone. */
  phone?: PhoneKind;
}

const EN = ['en-US'];
const ZH = ['zh-CN'];
const BOTH = ['en-US', 'zh-CN'];

type AgentRow = [
  displayName: string,
  uiLanguage: 'en' | 'zh-CN',
  languages: readonly string[],
  skills: Partial<Record<SkillName, number>>,
  phone?: PhoneKind,
];

// Hand-made so every queue has at least five skilled agents and bilingual staff in each.
const AGENT_ROWS: readonly AgentRow[] = [
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

const AGENTS: readonly AgentSpec[] = [
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

const FAMILY_NAMES = hanPinyin(`
  王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he
  高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao
  田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai
`);
/** Common surnames are far more common: weight falls with the rank in the list above. */
const FAMILY_NAME_WEIGHTED = FAMILY_NAMES.map((name, rank) => [name, 1 / (rank + 4)] as const);
const COMPOUND_FAMILY_NAMES = hanPinyin('欧阳ouyang 司马sima 上官shangguan 诸葛zhuge');
const GIVEN_NAME_CHARACTERS = hanPinyin(`
  伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan 杰jie 娟juan 涛tao 明ming 超chao
  秀xiu 霞xia 平ping 刚gang 英ying 华hua 建jian 文wen 辉hui 玲ling 婷ting 雪xue 慧hui 晨chen 宇yu 浩hao 欣xin
  怡yi 佳jia 子zi 轩xuan 涵han 睿rui 博bo 思si 嘉jia 俊jun 凯kai 鹏peng 昊hao 琳lin 颖ying 晓xiao 志zhi 海hai
  红hong 春chun 国guo 雨yu
`);
const FIRST_NAMES = words(`
  Olivia Emma Ava Sophia Isabella Mia Charlotte Amelia Harper Evelyn Emily Ella Grace Chloe Lily Hannah Zoe
  Natalie Lucy Isla Poppy Freya Ruby Jessica Sarah Laura Rachel Megan Liam Noah Oliver Elijah James William
  Benjamin Lucas Henry Alexander Mason Michael Ethan Daniel Jacob Samuel Sebastian Jack Owen Matthew Ryan Nathan
  Thomas George Harry Oscar Charlie David Robert John Christopher Andrew Joshua Mark Paul Steven Kevin Brian
`);
const LAST_NAMES = words(`
  Carter Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson Anderson Taylor Thomas
  Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill
  Green Adams Baker Nelson Mitchell Campbell Roberts Evans Turner Parker Collins Edwards Stewart Morris Murphy
  Cook Rogers Morgan Cooper Reed Bailey Bell Hughes Price Bennett Wood Patel Walsh O'Brien Kelly Murray Fletcher
  Hayes Palmer Russell Fraser
`);
// Microsoft's fictitious companies, so no real business is named.
const COMPANIES_EN: readonly (readonly [string, string])[] = [
  ['Northwind Traders', 'northwindtraders.com'],
  ['Contoso Ltd', 'contoso.com'],
  ['Fabrikam Inc', 'fabrikam.com'],
  ['Adventure Works', 'adventure-works.com'],
  ['Tailspin Toys', 'tailspintoys.com'],
  ['Wide World Importers', 'wideworldimporters.com'],
  ['Litware Inc', 'litwareinc.com'],
  ['Proseware Inc', 'proseware.com'],
  ['Alpine Ski House', 'alpineskihouse.com'],
  ['Coho Winery', 'cohowinery.com'],
  ['Trey Research', 'treyresearch.net'],
  ['Woodgrove Bank', 'woodgrovebank.com'],
  ['Lucerne Publishing', 'lucernepublishing.com'],
  ['Fourth Coffee', 'fourthcoffee.com'],
  ['Humongous Insurance', 'humongousinsurance.com'],
  ['Blue Yonder Airlines', 'blueyonderairlines.com'],
  ["Margie's Travel", 'margiestravel.com'],
  ['City Power & Light', 'cpandl.com'],
];
const COMPANIES_ZH: readonly (readonly [string, string])[] = [
  ['上海华信贸易有限公司', 'huaxin-trade.cn'],
  ['北京中科创新科技有限公司', 'zkcx-tech.cn'],
  ['深圳市腾达电子有限公司', 'tengda-elec.cn'],
  ['广州恒信物流有限公司', 'hengxin-logistics.cn'],
  ['杭州云帆网络科技有限公司', 'yunfan-net.cn'],
  ['成都天府餐饮管理有限公司', 'tianfu-catering.cn'],
  ['南京金陵建材有限公司', 'jinling-jiancai.cn'],
  ['武汉长江医药有限公司', 'changjiang-pharma.cn'],
  ['苏州明辉精密机械有限公司', 'minghui-precision.cn'],
  ['天津滨海国际货运代理有限公司', 'binhai-freight.cn'],
];
const EMAIL_DOMAINS: Record<Language, readonly (readonly [string, number])[]> = {
  'zh-CN': [
    ['qq.com', 5],
    ['163.com', 3],
    ['126.com', 2],
    ['sina.com', 1],
    ['foxmail.com', 1],
    ['gmail.com', 1],
  ],
  'en-US': [
    ['gmail.com', 6],
    ['outlook.com', 2],
    ['yahoo.com', 2],
    ['icloud.com', 2],
    ['hotmail.com', 1],
  ],
  'en-GB': [
    ['gmail.com', 5],
    ['outlook.com', 2],
    ['hotmail.co.uk', 2],
    ['yahoo.co.uk', 1],
    ['btinternet.com', 1],
  ],
};

type PhoneKind = 'us' | 'cnMobile' | 'cnLandline' | 'ukMobile' | 'ukLandline';

interface City {
  name: string;
  /** Area codes for landlines (and for US mobiles, which share them). */
  areaCodes: readonly string[];
  /** Digits after the area code. */
  localDigits: number;
}

const CITIES: Record<Language, readonly City[]> = {
  'zh-CN': [
    { name: '北京', areaCodes: ['10'], localDigits: 8 },
    { name: '上海', areaCodes: ['21'], localDigits: 8 },
    { name: '广州', areaCodes: ['20'], localDigits: 8 },
    { name: '深圳', areaCodes: ['755'], localDigits: 8 },
    { name: '杭州', areaCodes: ['571'], localDigits: 8 },
    { name: '成都', areaCodes: ['28'], localDigits: 8 },
    { name: '南京', areaCodes: ['25'], localDigits: 8 },
    { name: '武汉', areaCodes: ['27'], localDigits: 8 },
  ],
  'en-US': [
    { name: 'New York', areaCodes: ['212', '646', '718', '917'], localDigits: 7 },
    { name: 'San Francisco', areaCodes: ['415', '628'], localDigits: 7 },
    { name: 'Chicago', areaCodes: ['312', '773'], localDigits: 7 },
    { name: 'Boston', areaCodes: ['617', '857'], localDigits: 7 },
    { name: 'Seattle', areaCodes: ['206'], localDigits: 7 },
    { name: 'Austin', areaCodes: ['512', '737'], localDigits: 7 },
    { name: 'Miami', areaCodes: ['305', '786'], localDigits: 7 },
    { name: 'Denver', areaCodes: ['303', '720'], localDigits: 7 },
    { name: 'Atlanta', areaCodes: ['404', '678'], localDigits: 7 },
    { name: 'Los Angeles', areaCodes: ['213', '310', '323'], localDigits: 7 },
  ],
  'en-GB': [
    { name: 'London', areaCodes: ['20'], localDigits: 8 },
    { name: 'Manchester', areaCodes: ['161'], localDigits: 7 },
    { name: 'Birmingham', areaCodes: ['121'], localDigits: 7 },
    { name: 'Edinburgh', areaCodes: ['131'], localDigits: 7 },
    { name: 'Bristol', areaCodes: ['117'], localDigits: 7 },
    { name: 'Leeds', areaCodes: ['113'], localDigits: 7 },
  ],
};
const CN_MOBILE_PREFIXES = words(`
  130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 176 177 178 180 181 182 183 185 186
  187 188 189 198 199
`);

/** Relative call volume by local hour: a working-day hump with a lunch dip. */
const HOUR_WEIGHTS = [
  0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.1, 0.25, 0.55, 1, 1.3, 1.25, 0.9, 1.1, 1.3, 1.2, 1, 0.8, 0.45, 0.28,
  0.18, 0.12, 0.07, 0.05,
];
/** Relative call volume by local weekday, Sunday first. */
const WEEKDAY_WEIGHTS = [0.25, 1.15, 1.05, 1, 1, 0.9, 0.35];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// ---------------------------------------------------------------------------------------------
// Generators

class PhoneFactory {
  /** Every number handed out, so customer phones stay unique and unknown callers stay unknown. */
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  create(kind: PhoneKind, city?: City): string {
    for (let attempt = 0; attempt < 100; attempt++) {
      const candidate = this.candidate(kind, city);
      if (!this.used.has(candidate) && isValidPhoneNumber(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    throw new Error(`Could not generate a valid unused ${kind} phone number`);
  }

  private candidate(kind: PhoneKind, city: City | undefined): string {
    const random = this.random;
    const area = (fallback: Language) => random.pick((city ?? random.pick(CITIES[fallback])).areaCodes);
    switch (kind) {
      case 'us':
        return `+1${area('en-US')}${random.int(2, 9)}${random.digits(6)}`;
      case 'cnMobile':
        return `+86${random.pick(CN_MOBILE_PREFIXES)}${random.digits(8)}`;
      case 'cnLandline':
        return `+86${area('zh-CN')}${random.int(2, 8)}${random.digits(7)}`;
      case 'ukMobile':
        return `+447${random.pick(['4', '5', '7', '8', '9'])}${random.digits(8)}`;
      case 'ukLandline': {
        const { areaCodes, localDigits } = city ?? random.pick(CITIES['en-GB']);
        const first = localDigits === 8 ? random.pick(['3', '7', '8']) : String(random.int(2, 9));
        return `+44${random.pick(areaCodes)}${first}${random.digits(localDigits - 1)}`;
      }
    }
  }
}

class EmailFactory {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  create(localPart: string, domain: string): string {
    let candidate = `${localPart}@${domain}`;
    while (this.used.has(candidate)) candidate = `${localPart}${this.random.int(1, 999)}@${domain}`;
    this.used.add(candidate);
    return candidate;
  }
}

interface PersonName {
  display: string;
  /** Latin letters for e-mail addresses: pinyin for Chinese names. */
  given: string;
  family: string;
}

function chineseName(random: Random): PersonName {
  const [family, familyPinyin] = random.chance(0.02)
    ? random.pick(COMPOUND_FAMILY_NAMES)
    : random.weighted(FAMILY_NAME_WEIGHTED);
  const first = random.pick(GIVEN_NAME_CHARACTERS);
  // Two-character given names are the norm; a repeated character (娜娜) is a familiar variant.
  const second = random.chance(0.35)
    ? null
    : random.chance(0.05)
      ? first
      : random.pick(GIVEN_NAME_CHARACTERS);
  return {
    display: family + first[0] + (second?.[0] ?? ''),
    given: first[1] + (second?.[1] ?? ''),
    family: familyPinyin,
  };
}

function englishName(random: Random): PersonName {
  const given = random.pick(FIRST_NAMES);
  const family = random.pick(LAST_NAMES);
  return {
    display: `${given} ${family}`,
    given: given.toLowerCase(),
    family: family.replace(/\W/g, '').toLowerCase(),
  };
}

function personalLocalPart(random: Random, name: PersonName, domain: string): string {
  const { given, family } = name;
  // QQ mail addresses are usually the QQ account number.
  if (domain === 'qq.com' && random.chance(0.6)) return String(random.int(10_000_000, 2_999_999_999));
  const year = random.int(1960, 2005);
  return random.weighted([
    [`${given}.${family}`, 4],
    [`${family}${given}`, 3],
    [`${given}${family}${year % 100}`, 2],
    [`${given[0] ?? ''}${family}`, 2],
    [`${family}.${given}${year}`, 1],
    [`${given}_${family}`, 1],
  ]);
}

function fillNote(random: Random, template: string): string {
  return template
    .replace('{n}', String(random.int(10_000, 99_999)))
    .replace('{amount}', String(random.int(2, 90) * 10));
}

function notesIn(notes: Notes, language: string): readonly string[] {
  return language === 'zh-CN' ? notes.zh : notes.en;
}

/**
 * Hours of the history window, weighted by how busy that hour is in one time zone, so calls
 * cluster in working hours wherever the queue works.
 */
class ArrivalCurve {
  private readonly sampler: WeightedSampler;
  private readonly loadOfHour: number[] = [];

  constructor(
    private readonly start: number,
    hours: number,
    timeZone: string,
  ) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    });
    const weights: number[] = [];
    for (let hour = 0; hour < hours; hour++) {
      const parts = format.formatToParts(new Date(start + hour * HOUR + HOUR / 2));
      const localHour = Number(parts.find((part) => part.type === 'hour')?.value);
      const weekday = WEEKDAYS.indexOf(parts.find((part) => part.type === 'weekday')?.value ?? '');
      const hourWeight = HOUR_WEIGHTS[localHour] ?? 0;
      weights.push(hourWeight * (WEEKDAY_WEIGHTS[weekday] ?? 0));
      this.loadOfHour.push(hourWeight);
    }
    this.sampler = new WeightedSampler(weights);
  }

  /** An arrival time, and how busy its hour is (1 = an ordinary morning hour). */
  sample(random: Random): { at: number; load: number } {
    const hour = this.sampler.sample(random);
    return {
      at: this.start + hour * HOUR + Math.floor(random.next() * HOUR),
      load: this.loadOfHour[hour] ?? 1,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding

interface SeededCustomer {
  id: number;
  tier: Tier;
  stage: Stage;
  language: string;
  phones: string[];
  createdAt: number;
  erasedAt: number | null;
  accountNumber: string | null;
}

interface SeededAgent {
  id: number;
  skills: Partial<Record<SkillName, number>>;
  languages: readonly string[];
  busyUntil: number;
}

interface SeededCode extends Code {
  id: number;
}

interface SeededQueue {
  id: number;
  spec: QueueSpec;
  agents: SeededAgent[];
  codes: SeededCode[];
  curve: ArrivalCurve;
}

interface PlannedCall {
  at: number;
  load: number;
  queue: SeededQueue;
  customer: SeededCustomer | null;
}

type Outcome = 'answered' | 'transferred' | 'abandoned' | 'voicemail' | 'callback';

/**
 * Fills an empty database with a realistic, reproducible contact-center history: skills, queues,
 * wrap-up codes, agents, customers with phones and e-mails, and months of inbound calls with their
 * event timelines and follow-ups. Leaves the `customer_search` index to the customers repository.
 */
export function seedDemoData(db: Db, options: DemoDataOptions): DemoDataSummary {
  const customerCount = options.customers ?? 5000;
  const days = options.days ?? 90;
  const interactionsPerDay = options.interactionsPerDay ?? 667;
  const seed = options.seed ?? 20261122;
  const now = (options.now ?? new Date()).getTime();
  if (!Number.isInteger(customerCount) || customerCount < 1) {
    throw new Error('customers must be a positive integer');
  }
  if (!Number.isInteger(days) || days < 1) throw new Error('days must be a positive integer');
  if (!(interactionsPerDay >= 0)) throw new Error('interactionsPerDay must not be negative');
  if (!Number.isFinite(now)) throw new Error('now must be a valid date');

  const random = new Random(seed);
  const phones = new PhoneFactory(random);
  const emails = new EmailFactory(random);
  const summary: DemoDataSummary = {
    customers: 0,
    phones: 0,
    emails: 0,
    agents: 0,
    queues: 0,
    interactions: 0,
    events: 0,
    followUps: 0,
  };

  const sql = {
    skill: db.prepare('INSERT INTO skills (name) VALUES (?)'),
    codeSet: db.prepare('INSERT INTO wrap_up_code_sets (name) VALUES (?)'),
    code: db.prepare(
      'INSERT INTO wrap_up_codes (set_id, code, label, action, action_lifecycle_stage) VALUES (?, ?, ?, ?, ?)',
    ),
    queue: db.prepare(
      `INSERT INTO call_queues (name, time_zone, priority, priority_rules, strategy, sl_target_seconds,
         sl_target_percent, max_wait_seconds, max_wait_action, overflow_after_seconds, overflow_queue_id,
         acw_policy, acw_seconds, wrap_up_code_set_id, recording_policy, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    queueSkill: db.prepare('INSERT INTO queue_skills (queue_id, skill_id, min_proficiency) VALUES (?, ?, ?)'),
    agent: db.prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, sip_address, phone_number, audio_target,
         ui_language, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    agentSkill: db.prepare('INSERT INTO agent_skills (agent_id, skill_id, proficiency) VALUES (?, ?, ?)'),
    agentLanguage: db.prepare('INSERT INTO agent_languages (agent_id, language) VALUES (?, ?)'),
    customer: db.prepare(
      `INSERT INTO customers (name, company, tier, lifecycle_stage, language, tags, attributes, do_not_call,
         created_at, updated_at, erased_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    phone: db.prepare(
      'INSERT INTO customer_phones (customer_id, e164, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    email: db.prepare(
      'INSERT INTO customer_emails (customer_id, email, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    interaction: db.prepare(
      `INSERT INTO interactions (direction, channel, provider, provider_call_id, customer_id, caller_number,
         queue_id, agent_id, state, arrived_at, ivr_left_at, queued_at, offered_at, answered_at, held_seconds,
         ended_at, wrap_up_ended_at, outcome, wrap_up_code_id, notes, ivr_answers)
       VALUES ('inbound', 'voice', 'demo', ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare(
      'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
    ),
    followUp: db.prepare(
      `INSERT INTO follow_ups (kind, customer_id, interaction_id, queue_id, owner_agent_id, due_at, status, note,
         created_at, completed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    doNotCall: db.prepare(
      'UPDATE customers SET do_not_call = 1, updated_at = max(updated_at, ?) WHERE id = ?',
    ),
    meta: db.prepare(
      'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
  const insert = (statement: Statement<unknown[]>, ...params: unknown[]) =>
    Number(statement.run(...params).lastInsertRowid);

  function seedQueues(): SeededQueue[] {
    const skillIds = new Map(SKILLS.map((name) => [name, insert(sql.skill, name)]));
    const codeSets = new Map<string, { id: number; codes: SeededCode[] }>();
    for (const [setName, codes] of Object.entries(CODE_SETS)) {
      const id = insert(sql.codeSet, setName);
      codeSets.set(setName, {
        id,
        codes: codes.map((code) => ({
          ...code,
          id: insert(sql.code, id, code.code, code.label, code.action ?? 'none', code.stage ?? null),
        })),
      });
    }

    const agents = AGENTS.map((spec, index): SeededAgent => {
      const createdAt = now - 400 * DAY + index * 3 * DAY + random.int(0, 8 * HOUR);
      const phone = spec.phone ? phones.create(spec.phone) : null;
      const id = insert(
        sql.agent,
        spec.username,
        spec.displayName,
        spec.role,
        options.passwordHash,
        `sip:${spec.username}@cti.local`,
        phone,
        phone ? 'phone' : 'sip',
        spec.uiLanguage,
        iso(createdAt),
        iso(createdAt + random.int(0, 300) * DAY),
      );
      for (const [skill, proficiency] of Object.entries(spec.skills)) {
        sql.agentSkill.run(id, skillIds.get(skill as SkillName), proficiency);
      }
      for (const language of spec.languages) sql.agentLanguage.run(id, language);
      return { id, skills: spec.skills, languages: spec.languages, busyUntil: 0 };
    });
    summary.agents = agents.length;

    const start = now - days * DAY;
    // The last hour stays empty so every call, wrap-up included, has finished by `now`.
    const hours = days * 24 - 1;
    const curves = new Map<string, ArrivalCurve>();
    const queueIds = new Map<string, number>();
    const createdAt = now - 420 * DAY;
    const queues = QUEUES.map((spec): SeededQueue => {
      const codeSet = codeSets.get(spec.codeSet);
      if (!codeSet) throw new Error(`Wrap-up code set ${spec.codeSet} is missing`);
      const id = insert(
        sql.queue,
        spec.name,
        spec.timeZone,
        spec.priority,
        JSON.stringify(spec.priorityRules),
        spec.strategy,
        spec.slTargetSeconds,
        spec.slTargetPercent,
        spec.maxWaitSeconds,
        spec.maxWaitAction,
        spec.overflowAfterSeconds,
        spec.overflowTo === null ? null : queueIds.get(spec.overflowTo),
        spec.acwPolicy,
        spec.acwSeconds,
        codeSet.id,
        spec.recordingPolicy,
        iso(createdAt),
        iso(createdAt + random.int(1, 60) * DAY),
      );
      queueIds.set(spec.name, id);
      sql.queueSkill.run(id, skillIds.get(spec.skill), spec.minProficiency);
      let curve = curves.get(spec.timeZone);
      if (!curve) {
        curve = new ArrivalCurve(start, hours, spec.timeZone);
        curves.set(spec.timeZone, curve);
      }
      return {
        id,
        spec,
        agents: agents.filter((agent) => (agent.skills[spec.skill] ?? 0) >= spec.minProficiency),
        codes: codeSet.codes,
        curve,
      };
    });
    summary.queues = queues.length;
    return queues;
  }

  function seedCustomers(): SeededCustomer[] {
    const tiers: Tier[] = [];
    for (const [tier, share] of TIER_SHARE.slice(0, -1)) {
      for (let i = Math.round(customerCount * share); i > 0; i--) tiers.push(tier);
    }
    while (tiers.length < customerCount) tiers.push('bronze');
    random.shuffle(tiers);
    const erasedCount = Math.round(customerCount * 0.002);

    const drafts = tiers.map((tier, index) => {
      const language: Language = random.chance(0.5) ? 'zh-CN' : random.chance(0.7) ? 'en-US' : 'en-GB';
      const stage = random.weighted(STAGES);
      const createdAt =
        stage === 'new'
          ? now - random.between(1 * DAY, 60 * DAY)
          : now - random.between(60 * DAY, 3 * 365 * DAY);
      return {
        tier,
        language,
        stage,
        createdAt: Math.floor(createdAt),
        erased: index < erasedCount,
      };
    });
    // Ids grow with created_at, as they would have in production.
    drafts.sort((a, b) => a.createdAt - b.createdAt);

    return drafts.map((draft, index): SeededCustomer => {
      const { tier, stage, language, createdAt } = draft;
      const chinese = language === 'zh-CN';
      const name = chinese ? chineseName(random) : englishName(random);
      const city = random.pick(CITIES[language]);
      const valuable = tier === 'platinum' || tier === 'gold';
      const [company, companyDomain] = random.chance(valuable ? 0.5 : 0.2)
        ? random.pick(chinese ? COMPANIES_ZH : COMPANIES_EN)
        : [null, null];
      const accountNumber = `AC-${String(index + 1).padStart(6, '0')}`;
      const tags = new Set<string>();
      for (let i = random.int(0, 2); i > 0; i--) tags.add(random.pick(TAGS));
      if (valuable && random.chance(0.6)) tags.add(random.pick(TAGS_OF_VALUABLE));
      if (chinese && random.chance(0.3)) tags.add('prefers-mandarin');
      const updatedAt = createdAt + Math.floor(random.next() * (now - createdAt));
      const erasedAt = draft.erased
        ? Math.max(createdAt, now - days * DAY) +
          Math.floor(random.next() * Math.min(days * DAY, now - createdAt) * 0.9)
        : null;

      const id =
        erasedAt === null
          ? insert(
              sql.customer,
              name.display,
              company,
              tier,
              stage,
              language,
              JSON.stringify([...tags]),
              JSON.stringify({ accountNumber, plan: random.pick(PLANS_OF_TIER[tier]), city: city.name }),
              random.chance(0.005) ? 1 : 0,
              iso(createdAt),
              iso(updatedAt),
              null,
            )
          : insert(
              sql.customer,
              '(erased)',
              null,
              tier,
              stage,
              language,
              '[]',
              '{}',
              0,
              iso(createdAt),
              iso(erasedAt),
              iso(erasedAt),
            );
      summary.customers++;
      const customer: SeededCustomer = {
        id,
        tier,
        stage,
        language,
        phones: [],
        createdAt,
        erasedAt,
        accountNumber: erasedAt === null ? accountNumber : null,
      };
      if (erasedAt !== null) return customer;

      const addedAt = () => iso(createdAt + Math.floor(random.next() * (now - createdAt)));
      const phoneCount = random.weighted([
        [1, 60],
        [2, 30],
        [3, 10],
      ]);
      const labels = ['mobile', ...(company && random.chance(0.6) ? ['work', 'home'] : ['home', 'work'])];
      for (let i = 0; i < phoneCount; i++) {
        const label = itemAt(labels, i);
        const kind: PhoneKind =
          language === 'en-US'
            ? 'us'
            : language === 'en-GB'
              ? label === 'mobile' || (label === 'work' && random.chance(0.4))
                ? 'ukMobile'
                : 'ukLandline'
              : label === 'mobile'
                ? random.chance(0.92)
                  ? 'cnMobile'
                  : 'us'
                : random.chance(0.6)
                  ? 'cnLandline'
                  : 'cnMobile';
        const e164 = phones.create(kind, kind === 'us' && chinese ? undefined : city);
        sql.phone.run(id, e164, label, i === 0 ? iso(createdAt) : addedAt());
        customer.phones.push(e164);
        summary.phones++;
      }

      const emailCount = random.weighted([
        [0, 20],
        [1, 55],
        [2, 25],
      ]);
      for (let i = 0; i < emailCount; i++) {
        const work = i === 0 && companyDomain !== null && random.chance(0.6);
        const domain = work ? companyDomain : random.weighted(EMAIL_DOMAINS[language]);
        const localPart = work
          ? random.chance(0.5)
            ? `${name.given}.${name.family}`
            : `${name.given[0] ?? ''}${name.family}`
          : personalLocalPart(random, name, domain);
        sql.email.run(
          id,
          emails.create(localPart, domain),
          work ? 'work' : 'personal',
          i === 0 ? iso(createdAt) : addedAt(),
        );
        summary.emails++;
      }
      return customer;
    });
  }

  function planCalls(queues: SeededQueue[], customers: SeededCustomer[]): PlannedCall[] {
    const queueNamed = new Map(queues.map((queue) => [queue.spec.name, queue]));
    const queueFor = (customer: SeededCustomer | null): SeededQueue => {
      const valuable = customer?.tier === 'platinum' || customer?.tier === 'gold';
      const name =
        valuable && random.chance(0.7)
          ? 'VIP'
          : random.weighted(
              customer === null
                ? QUEUE_MIX.unknown
                : customer.stage === 'new' || customer.stage === 'at_risk'
                  ? QUEUE_MIX[customer.stage]
                  : QUEUE_MIX.other,
            );
      const queue = queueNamed.get(name);
      if (!queue) throw new Error(`Demo queue ${name} is missing`);
      return queue;
    };
    const callers = new WeightedSampler(
      customers.map(
        (customer) =>
          CALL_WEIGHT_OF_TIER[customer.tier] *
          CALL_WEIGHT_OF_STAGE[customer.stage] *
          random.logNormal(1, 0.8),
      ),
    );

    const total = Math.round(interactionsPerDay * days);
    const calls: PlannedCall[] = [];
    for (let i = 0; i < total; i++) {
      if (random.chance(0.05)) {
        const queue = queueFor(null);
        calls.push({ ...queue.curve.sample(random), queue, customer: null });
        continue;
      }
      // A customer can only call while they exist: after sign-up and before erasure.
      for (let attempt = 0; ; attempt++) {
        if (attempt === 1000) throw new Error('Could not place a demo call in any customer lifetime');
        const customer = itemAt(customers, callers.sample(random));
        const queue = queueFor(customer);
        const arrival = queue.curve.sample(random);
        const alive =
          arrival.at >= customer.createdAt && (customer.erasedAt === null || arrival.at < customer.erasedAt);
        if (alive) {
          calls.push({ ...arrival, queue, customer });
          break;
        }
      }
    }
    return calls.sort((a, b) => a.at - b.at);
  }

  function seedCalls(calls: PlannedCall[]) {
    const unknownNumbers: string[] = [];
    const doNotCall = new Map<number, number>();
    const followUpCutoff = now - 3 * DAY;

    const addFollowUp = (
      kind: 'callback' | 'task',
      customer: SeededCustomer,
      interactionId: number,
      queueId: number,
      owner: number | null,
      createdAt: number,
      dueAt: number,
      note: string,
    ) => {
      const completedAt = dueAt + random.int(0, 3 * HOUR);
      let status: 'open' | 'done' | 'cancelled' =
        createdAt >= followUpCutoff || completedAt >= now
          ? 'open'
          : random.chance(0.08)
            ? 'cancelled'
            : 'done';
      // Erasure closes whatever was still pending for the customer.
      if (customer.erasedAt !== null && (status === 'open' || dueAt >= customer.erasedAt)) {
        status = 'cancelled';
      }
      sql.followUp.run(
        kind,
        customer.id,
        interactionId,
        queueId,
        owner,
        iso(dueAt),
        status,
        note,
        iso(createdAt),
        status === 'done' ? iso(completedAt) : null,
      );
      summary.followUps++;
    };

    calls.forEach((call, index) => {
      const { queue, customer } = call;
      const spec = queue.spec;
      const erased = customer !== null && customer.erasedAt !== null;
      let callerNumber: string | null;
      let language: string;
      if (customer === null) {
        // Some unknown callers ring more than once.
        if (unknownNumbers.length > 0 && random.chance(0.2)) {
          callerNumber = random.pick(unknownNumbers);
        } else {
          callerNumber = phones.create(
            random.weighted<PhoneKind>([
              ['us', 40],
              ['cnMobile', 45],
              ['ukMobile', 15],
            ]),
          );
          unknownNumbers.push(callerNumber);
        }
        language = callerNumber.startsWith('+86') && random.chance(0.85) ? 'zh-CN' : 'en-US';
      } else {
        callerNumber = erased ? null : random.pick(customer.phones);
        language = customer.language;
      }
      const ivrLanguage = language === 'zh-CN' ? 'zh-CN' : 'en-US';
      const ivrAnswers: Record<string, string> = {
        menu: spec.menu || random.pick(['1', '2', '3']),
        language: ivrLanguage,
      };
      if (customer?.accountNumber && random.chance(0.25)) ivrAnswers.accountNumber = customer.accountNumber;

      const arrivedAt = call.at;
      const queuedAt = arrivedAt + seconds(random.between(10, 60));
      const waitLimit = spec.overflowAfterSeconds ?? spec.maxWaitSeconds;
      const roll = random.next();
      const outcome: Outcome =
        roll < 0.88
          ? random.chance(0.07)
            ? 'transferred'
            : 'answered'
          : roll < 0.96
            ? 'abandoned'
            : roll < 0.98 || customer === null
              ? 'voicemail'
              : 'callback';

      const events: [at: number, type: string, agentId: number | null, data: object][] = [
        [arrivedAt, 'arrived', null, {}],
        [queuedAt, 'ivr_left', null, ivrAnswers],
        [queuedAt, 'queued', null, { queueId: queue.id }],
      ];
      let agent: SeededAgent | null = null;
      let offeredAt: number | null = null;
      let answeredAt: number | null = null;
      let heldSeconds = 0;
      let endedAt: number;
      let wrapUpEndedAt: number | null = null;
      let code: SeededCode | null = null;
      let notes: string | null = null;

      if (outcome === 'answered' || outcome === 'transferred') {
        const ringSeconds = random.between(2, 9);
        const waitSeconds = clamp(
          random.logNormal(spec.medianWaitSeconds * (0.6 + 0.4 * call.load), 0.9),
          ringSeconds + 1,
          waitLimit - 1,
        );
        answeredAt = queuedAt + seconds(waitSeconds);
        offeredAt = answeredAt - seconds(ringSeconds);
        agent = pickAgent(queue, offeredAt, language);
        const talk = seconds(clamp(random.logNormal(240, 0.6), 60, 900));
        endedAt = answeredAt + talk;
        events.push(
          [offeredAt, 'offered', agent.id, { agentId: agent.id }],
          [answeredAt, 'answered', agent.id, { waitSeconds: Math.round(waitSeconds) }],
        );
        if (random.chance(0.18)) {
          heldSeconds = Math.round(Math.min(random.between(10, 180), (talk / SECOND) * 0.4));
          const heldAt = answeredAt + Math.floor(talk * random.between(0.15, 0.5));
          events.push(
            [heldAt, 'held', agent.id, {}],
            [heldAt + heldSeconds * SECOND, 'resumed', agent.id, { heldSeconds }],
          );
        }
        events.push([endedAt, 'ended', agent.id, { outcome }]);

        wrapUpEndedAt = endedAt + seconds(random.between(10, spec.acwSeconds ?? 120));
        // Unknown callers have no customer record for a callback, block or stage change to act on.
        const usable = customer === null ? queue.codes.filter((candidate) => !candidate.action) : queue.codes;
        code =
          spec.acwPolicy === 'optional' && random.chance(0.08)
            ? null
            : random.weighted(usable.map((candidate) => [candidate, candidate.weight] as const));
        events.push([wrapUpEndedAt, 'wrap_up_submitted', agent.id, { wrapUpCode: code?.code ?? null }]);
        if (!erased && random.chance(0.6)) {
          notes = fillNote(
            random,
            random.pick(notesIn((code ? NOTES[code.code] : undefined) ?? NOTES_WITHOUT_CODE, language)),
          );
        }
        agent.busyUntil = wrapUpEndedAt;
      } else {
        const chosenAtLimit =
          (outcome === 'voicemail' || outcome === 'callback') &&
          spec.maxWaitAction === outcome &&
          spec.overflowAfterSeconds === null &&
          random.chance(0.5);
        const waitSeconds = chosenAtLimit
          ? spec.maxWaitSeconds
          : outcome === 'abandoned'
            ? clamp(random.logNormal(45 * (0.6 + 0.4 * call.load), 0.8), 3, waitLimit - 1)
            : random.between(20, waitLimit - 1);
        const afterWait =
          outcome === 'voicemail'
            ? random.between(15, 90)
            : outcome === 'callback'
              ? random.between(5, 20)
              : 0;
        endedAt = queuedAt + seconds(waitSeconds + afterWait);
        events.push([endedAt, 'ended', null, { outcome }]);
      }

      const interactionId = insert(
        sql.interaction,
        `demo-${index + 1}`,
        customer?.id ?? null,
        callerNumber,
        queue.id,
        agent?.id ?? null,
        iso(arrivedAt),
        iso(queuedAt),
        iso(queuedAt),
        offeredAt === null ? null : iso(offeredAt),
        answeredAt === null ? null : iso(answeredAt),
        heldSeconds,
        iso(endedAt),
        wrapUpEndedAt === null ? null : iso(wrapUpEndedAt),
        outcome,
        code?.id ?? null,
        notes,
        JSON.stringify(ivrAnswers),
      );
      summary.interactions++;
      for (const [at, type, agentId, data] of events) {
        sql.event.run(interactionId, iso(at), type, agentId, JSON.stringify(data));
      }
      summary.events += events.length;

      if (customer === null) return;
      if (outcome === 'callback') {
        const owner = random.chance(0.75) ? random.pick(queue.agents).id : null;
        const note = random.pick(notesIn(QUEUE_CALLBACK_NOTES, language));
        addFollowUp(
          'callback',
          customer,
          interactionId,
          queue.id,
          owner,
          endedAt,
          endedAt + random.int(10, 240) * MINUTE,
          note,
        );
      }
      if (!agent || !code || wrapUpEndedAt === null) return;
      if (code.action === 'schedule_callback') {
        const note = random.pick(notesIn(CALLBACK_REQUESTED_NOTES, language));
        const dueAt = wrapUpEndedAt + random.int(2 * 60, 48 * 60) * MINUTE;
        addFollowUp('callback', customer, interactionId, queue.id, agent.id, wrapUpEndedAt, dueAt, note);
      }
      if (code.action === 'do_not_call') doNotCall.set(customer.id, wrapUpEndedAt);
      const taskNotes = TASK_NOTES[code.code];
      if (taskNotes && random.chance(0.15)) {
        const owner = random.chance(0.9) ? agent.id : null;
        const note = fillNote(random, random.pick(notesIn(taskNotes, language)));
        const dueAt = wrapUpEndedAt + random.int(1, 5) * DAY;
        addFollowUp('task', customer, interactionId, queue.id, owner, wrapUpEndedAt, dueAt, note);
      }
    });

    for (const [customerId, at] of doNotCall) sql.doNotCall.run(iso(at), customerId);
  }

  /**
   * Roughly what the router would do: an agent with the queue's skill who is free, preferring
   * stronger ones and those who speak the caller's language; at peaks, the one free soonest.
   */
  function pickAgent(queue: SeededQueue, at: number, language: string): SeededAgent {
    const free = queue.agents.filter((agent) => agent.busyUntil <= at);
    if (free.length === 0) {
      return queue.agents.reduce((soonest, agent) => (agent.busyUntil < soonest.busyUntil ? agent : soonest));
    }
    const speaks = language === 'zh-CN' ? 'zh-CN' : 'en-US';
    return random.weighted(
      free.map(
        (agent) =>
          [
            agent,
            (agent.skills[queue.spec.skill] ?? 1) * (agent.languages.includes(speaks) ? 4 : 1),
          ] as const,
      ),
    );
  }

  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM agents LIMIT 1').get() !== undefined) {
      throw new Error('Refusing to seed demo data: the agents table is not empty');
    }
    const queues = seedQueues();
    const customers = seedCustomers();
    seedCalls(planCalls(queues, customers));
    sql.meta.run(
      'demo_data',
      JSON.stringify({
        seed,
        customers: customerCount,
        days,
        interactionsPerDay,
        now: iso(now),
        counts: summary,
      }),
    );
    return summary;
  })();
}
