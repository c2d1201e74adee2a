import {
  CITIES,
  COMPANIES_EN,
  COMPANIES_ZH,
  EMAIL_DOMAINS,
  chineseName,
  englishName,
  personalLocalPart,
  type PhoneKind,
} from './people.js';
import { DAY, iso, itemAt } from './random.js';
import type { SeedContext, SeededCustomer } from './seed-context.js';
import {
  PLANS_OF_TIER,
  STAGES,
  TAGS,
  TAGS_OF_VALUABLE,
  TIER_SHARE,
  type Language,
  type Tier,
} from './vocabulary.js';

export function seedCustomers(context: SeedContext): SeededCustomer[] {
  const { random, phones, emails, sql, insert, summary, now, days, customerCount } = context;
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
