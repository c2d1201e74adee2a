import type { FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';

/**
 * A run of 7 to 15 digits (E.164's longest) with the separators people write phone numbers with (+, spaces,
 * dashes, parentheses; %2B is a URL-encoded +). Not inside a longer word or a dash-joined token, so
 * request ids, Twilio SIDs and ISO dates stay readable; dots are not separators, so IP addresses
 * and decimals do too.
 */
const PHONE = /(?<![\w-])(?:\+|%2[Bb])?\d[\d\s()-]{5,}\d(?![\w-])/g;
/** A JSON string literal, escapes included: numbers (timestamps, ids, durations) are never masked. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** An API token's secret part (after `cti_` and its 12-digit public id), and any Bearer credential. */
const API_TOKEN_SECRET = /(cti_[0-9a-f]{12}_)[A-Za-z0-9_-]+/g;
const BEARER = /(Bearer\s+)(?!\[redacted\])[^\s"\\]+/gi;

/**
 * API token secrets and Bearer credentials in `text` replaced by `[redacted]`; a token's public id
 * stays, so a reader can still tell which token it was.
 */
export function maskCredentials(text: string): string {
  return text.replace(API_TOKEN_SECRET, '$1[redacted]').replace(BEARER, '$1[redacted]');
}

/** Phone numbers in `text` with all but their last two digits hidden. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length < 7 || digits.length > 15 ? match : `[phone …${digits.slice(-2)}]`;
  });
}

/**
 * pino's destination with every phone number masked and every API token or Bearer credential
 * redacted in every line, whoever logged it and in whichever field (a message, an error's text, a
 * URL). The Authorization header itself is never logged (see serverOptions' redact paths and the
 * request serializer); this catches a token that reaches a log some other way. Works on the
 * serialized line, after serializers ran, and only inside JSON strings so the line stays valid JSON.
 */
export function privateLogStream(target: DestinationStream): DestinationStream {
  return {
    write: (line: string) =>
      target.write(line.replace(JSON_STRING, (literal) => maskPhoneNumbers(maskCredentials(literal)))),
  };
}

/**
 * What pino logs of a request. The query string is left out: customer searches put names, phone
 * numbers and e-mail addresses there, and it rarely helps a log reader.
 */
export function requestLogSerializer(request: FastifyRequest) {
  const query = request.url.indexOf('?');
  return {
    method: request.method,
    url: query === -1 ? request.url : `${request.url.slice(0, query)}?[redacted]`,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
