import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { words, hanPinyin, type Random } from './random.js';
import type { Language } from './vocabulary.js';

export const FAMILY_NAMES = hanPinyin(`
  王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he
  高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao
  田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai
`);
/** Common surnames are far more common: weight falls with the rank in the list above. */
export const FAMILY_NAME_WEIGHTED = FAMILY_NAMES.map((name, rank) => [name, 1 / (rank + 4)] as const);
export const COMPOUND_FAMILY_NAMES = hanPinyin('欧阳ouyang 司马sima 上官shangguan 诸葛zhuge');
export const GIVEN_NAME_CHARACTERS = hanPinyin(`
  伟wei 芳fang 娜na 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong 艳yan 杰jie 娟juan 涛tao 明ming 超chao
  秀xiu 霞xia 平ping 刚gang 英ying 华hua 建jian 文wen 辉hui 玲ling 婷ting 雪xue 慧hui 晨chen 宇yu 浩hao 欣xin
  怡yi 佳jia 子zi 轩xuan 涵han 睿rui 博bo 思si 嘉jia 俊jun 凯kai 鹏peng 昊hao 琳lin 颖ying 晓xiao 志zhi 海hai
  红hong 春chun 国guo 雨yu
`);
export const FIRST_NAMES = words(`
  Olivia Emma Ava Sophia Isabella Mia Charlotte Amelia Harper Evelyn Emily Ella Grace Chloe Lily Hannah Zoe
  Natalie Lucy Isla Poppy Freya Ruby Jessica Sarah Laura Rachel Megan Liam Noah Oliver Elijah James William
  Benjamin Lucas Henry Alexander Mason Michael Ethan Daniel Jacob Samuel Sebastian Jack Owen Matthew Ryan Nathan
  Thomas George Harry Oscar Charlie David Robert John Christopher Andrew Joshua Mark Paul Steven Kevin Brian
`);
export const LAST_NAMES = words(`
  Carter Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson Anderson Taylor Thomas
  Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill
  Green Adams Baker Nelson Mitchell Campbell Roberts Evans Turner Parker Collins Edwards Stewart Morris Murphy
  Cook Rogers Morgan Cooper Reed Bailey Bell Hughes Price Bennett Wood Patel Walsh O'Brien Kelly Murray Fletcher
  Hayes Palmer Russell Fraser
`);
// Microsoft's fictitious companies, so no real business is named.
export const COMPANIES_EN: readonly (readonly [string, string])[] = [
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
export const COMPANIES_ZH: readonly (readonly [string, string])[] = [
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
export const EMAIL_DOMAINS: Record<Language, readonly (readonly [string, number])[]> = {
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

export type PhoneKind = 'us' | 'cnMobile' | 'cnLandline' | 'ukMobile' | 'ukLandline';

export interface City {
  name: string;
  /** Area codes for landlines (and for US mobiles, which share them). */
  areaCodes: readonly string[];
  /** Digits after the area code. */
  localDigits: number;
}

export const CITIES: Record<Language, readonly City[]> = {
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
export const CN_MOBILE_PREFIXES = words(`
  130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 176 177 178 180 181 182 183 185 186
  187 188 189 198 199
`);

export class PhoneFactory {
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

export class EmailFactory {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  create(localPart: string, domain: string): string {
    let candidate = `${localPart}@${domain}`;
    while (this.used.has(candidate)) candidate = `${localPart}${this.random.int(1, 999)}@${domain}`;
    this.used.add(candidate);
    return candidate;
  }
}

export interface PersonName {
  display: string;
  /** Latin letters for e-mail addresses: pinyin for Chinese names. */
  given: string;
  family: string;
}

export function chineseName(random: Random): PersonName {
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

export function englishName(random: Random): PersonName {
  const given = random.pick(FIRST_NAMES);
  const family = random.pick(LAST_NAMES);
  return {
    display: `${given} ${family}`,
    given: given.toLowerCase(),
    family: family.replace(/\W/g, '').toLowerCase(),
  };
}

export function personalLocalPart(random: Random, name: PersonName, domain: string): string {
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
