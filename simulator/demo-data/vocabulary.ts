import type { LifecycleStage, Tier } from '../../contracts/glossary.js';
import type { Random } from './random.js';

// The words of the demo contact center: skills, tiers, stages, wrap-up codes and agents' notes.

export type { Tier };
export type Stage = LifecycleStage;
export type SkillName = 'sales' | 'support' | 'billing' | 'vip' | 'english' | 'mandarin';
export type Language = 'zh-CN' | 'en-US' | 'en-GB';
export type CodeAction = 'none' | 'schedule_callback' | 'do_not_call' | 'lifecycle_change';

export const SKILLS: readonly SkillName[] = ['sales', 'support', 'billing', 'vip', 'english', 'mandarin'];

/** The value model's default pyramid (config/value-model.json), so the computed tiers mostly agree. */
export const TIER_SHARE: readonly (readonly [Tier, number])[] = [
  ['platinum', 0.01],
  ['gold', 0.04],
  ['silver', 0.15],
  ['bronze', 0.8],
];
export const STAGES: readonly (readonly [Stage, number])[] = [
  ['active', 68],
  ['new', 8],
  ['at_risk', 9],
  ['lost', 7],
  ['won_back', 8],
];
/** Valuable customers call more, unhappy ones more still, lost ones hardly. */
export const CALL_WEIGHT_OF_TIER: Record<Tier, number> = { platinum: 8, gold: 4, silver: 1.8, bronze: 1 };
export const CALL_WEIGHT_OF_STAGE: Record<Stage, number> = {
  new: 1.3,
  active: 1,
  at_risk: 1.5,
  lost: 0.3,
  won_back: 1.2,
};
export const PLANS_OF_TIER: Record<Tier, readonly string[]> = {
  platinum: ['Enterprise'],
  gold: ['Enterprise', 'Business'],
  silver: ['Business', 'Pro'],
  bronze: ['Pro', 'Basic', 'Basic'],
};
export const TAGS = [
  'newsletter',
  'early-adopter',
  'reseller',
  'complaint-history',
  'prefers-email',
  'late-payer',
];
export const TAGS_OF_VALUABLE = ['key-account', 'annual-contract'];

export interface Code {
  code: string;
  label: string;
  weight: number;
  action?: CodeAction;
  stage?: Stage;
}

export const CALLBACK_REQUESTED: Code = {
  code: 'CALLBACK_REQUESTED',
  label: 'Callback requested',
  weight: 4,
  action: 'schedule_callback',
};
export const DO_NOT_CALL: Code = {
  code: 'DO_NOT_CALL',
  label: 'Do not call',
  weight: 0.15,
  action: 'do_not_call',
};
export const CHURN_RISK: Code = {
  code: 'CHURN_RISK',
  label: 'Churn risk',
  weight: 4,
  action: 'lifecycle_change',
  stage: 'at_risk',
};
export const WON_BACK: Code = {
  code: 'WON_BACK',
  label: 'Customer won back',
  weight: 3,
  action: 'lifecycle_change',
  stage: 'won_back',
};

export const CODE_SETS: Record<string, readonly Code[]> = {
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

export type Notes = { en: readonly string[]; zh: readonly string[] };

export const CALLBACK_REQUESTED_NOTES: Notes = {
  en: ['Customer asked for a call back tomorrow morning.', 'Needs to check with finance, call back later.'],
  zh: ['客户要求明天上午回电。', '需要和财务确认，稍后回电。'],
};
/** Call notes by wrap-up code; {n} becomes a reference number and {amount} a sum of money. */
export const NOTES: Record<string, Notes> = {
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
export const NOTES_WITHOUT_CODE: Notes = {
  en: ['General question, answered.', 'Customer called to confirm account details.'],
  zh: ['一般咨询，已解答。', '客户来电核对账户信息。'],
};
/** Tasks agents leave themselves after these codes, with their notes. */
export const TASK_NOTES: Record<string, Notes> = {
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
export const QUEUE_CALLBACK_NOTES: Notes = {
  en: ['Chose a callback instead of waiting in the queue.'],
  zh: ['客户在排队时选择了回电。'],
};

export function fillNote(random: Random, template: string): string {
  return template
    .replace('{n}', String(random.int(10_000, 99_999)))
    .replace('{amount}', String(random.int(2, 90) * 10));
}

export function notesIn(notes: Notes, language: string): readonly string[] {
  return language === 'zh-CN' ? notes.zh : notes.en;
}
