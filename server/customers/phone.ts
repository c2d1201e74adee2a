import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalizes a phone number written in any common form to E.164, or returns null when it is not a
 * valid number. Besides the national form of `defaultRegion`, it accepts international numbers
 * written with a `00` prefix or without their `+` (caller IDs often arrive that way).
 */
export function normalizePhone(input: string, defaultRegion: CountryCode): string | null {
  const trimmed = input.trim();
  if (!/\d/.test(trimmed) || /[a-z]/i.test(trimmed.replace(/ext\.?|x/gi, ''))) return null;
  const candidates = [parsePhoneNumberFromString(trimmed, defaultRegion)];
  if (!trimmed.startsWith('+')) {
    const digits = trimmed.replace(/\D/g, '');
    candidates.push(parsePhoneNumberFromString(`+${digits.startsWith('00') ? digits.slice(2) : digits}`));
  }
  const valid = candidates.find((number) => number?.isValid());
  return valid ? valid.number : null;
}

/** The number as people in its own country write it, e.g. "(415) 555-0123" or "138 0013 8000". */
export function displayPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

/**
 * The digit strings a person might type a fragment of: the E.164 digits and the national form's
 * digits, which differ when the country has a trunk prefix ("07700 900123" vs "+44 7700 900123").
 */
export function phoneSearchDigits(e164: string): string {
  const national = displayPhone(e164).replace(/\D/g, '');
  const international = e164.replace(/\D/g, '');
  return international.includes(national) ? international : `${international} ${national}`;
}
