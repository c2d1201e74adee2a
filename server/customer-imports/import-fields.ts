import type { CountryCode } from 'libphonenumber-js';
import { CONTROL_CHARACTER, normalizePhone } from '../customers/index.js';
import { IMPORT_FIELDS, type ImportField, type ImportMapping } from './customer-imports.schemas.js';

/**
 * Header names each field goes by, in English and Chinese, compared after NFKC (full-width letters
 * become ASCII), lower case and without spaces, dashes, underscores or dots.
 */
const HEADER_NAMES: Record<ImportField, readonly string[]> = {
  name: [
    'name',
    'fullname',
    'customer',
    'customername',
    'contact',
    'contactname',
    '姓名',
    '名字',
    '客户',
    '客户名称',
    '客户姓名',
    '联系人',
    '名称',
  ],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'cell',
    'cellphone',
    'tel',
    'telephone',
    '电话',
    '手机',
    '手机号',
    '手机号码',
    '电话号码',
    '联系电话',
    '联系方式',
  ],
  email: ['email', 'mail', 'emailaddress', '邮箱', '邮件', '电子邮件', '电子邮箱', '邮箱地址'],
  company: [
    'company',
    'companyname',
    'organization',
    'organisation',
    'account',
    '公司',
    '公司名称',
    '单位',
    '企业',
    '企业名称',
  ],
  language: ['language', 'lang', 'locale', '语言'],
  tags: ['tags', 'tag', 'labels', '标签'],
};

const headerKey = (header: string) =>
  header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_.]/g, '');

/** The mapping the headers suggest: each field to the first column whose header is one of its names. */
export function proposeMapping(headers: readonly string[]): ImportMapping {
  const keys = headers.map(headerKey);
  const mapping: ImportMapping = {};
  for (const field of IMPORT_FIELDS) {
    const index = keys.findIndex((key) => HEADER_NAMES[field].includes(key));
    if (index >= 0) mapping[field] = index;
  }
  return mapping;
}

/** A valid row, as the import writes it; an unmapped or empty optional cell is null. */
export interface ImportRow {
  name: string;
  phone: string;
  email: string | null;
  company: string | null;
  language: string | null;
  tags: string[] | null;
}

export interface RowError {
  field: ImportField;
  reason: string;
}

// The checks of the customers API (server/customers/customers.schemas.ts), as plain code: a row is
// refused for what POST /api/customers would refuse.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANGUAGE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const TAG_SEPARATORS = /[;,，；、|]/;

/** Checks one data row against the mapping: the row to write, or why not (one reason per field). */
export function checkRow(
  cells: readonly string[],
  mapping: ImportMapping,
  region: CountryCode,
): { row: ImportRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const cell = (field: ImportField) => {
    const index = mapping[field];
    const value = index === undefined ? '' : (cells[index] ?? '').trim();
    if (CONTROL_CHARACTER.test(value)) {
      errors.push({ field, reason: 'holds a control character' });
      return '';
    }
    return value;
  };
  const text = (field: ImportField, max: number) => {
    const value = cell(field);
    if (value.length > max) errors.push({ field, reason: `longer than ${max} characters` });
    return value === '' ? null : value;
  };

  const name = text('name', 200);
  if (name === null && errors.length === 0) errors.push({ field: 'name', reason: 'is empty' });
  const phoneText = cell('phone');
  const phone = phoneText === '' ? null : normalizePhone(phoneText, region);
  if (phoneText === '') errors.push({ field: 'phone', reason: 'is empty' });
  else if (phone === null) errors.push({ field: 'phone', reason: 'is not a valid phone number' });
  const email = text('email', 254);
  if (email !== null && !EMAIL.test(email))
    errors.push({ field: 'email', reason: 'is not a valid email address' });
  const company = text('company', 200);
  const language = text('language', 35);
  if (language !== null && !LANGUAGE.test(language))
    errors.push({ field: 'language', reason: 'is not a language tag such as en-US or zh-CN' });
  const tagsText = text('tags', 5000);
  const tags =
    tagsText === null
      ? null
      : [
          ...new Set(
            tagsText
              .split(TAG_SEPARATORS)
              .map((tag) => tag.trim())
              .filter((tag) => tag !== ''),
          ),
        ];
  if (tags && (tags.length > 50 || tags.some((tag) => tag.length > 50)))
    errors.push({ field: 'tags', reason: 'more than 50 tags, or a tag longer than 50 characters' });

  if (errors.length > 0 || name === null || phone === null) return { errors };
  return { row: { name, phone, email, company, language, tags } };
}
