/**
 * The whole TwiML document around `inner`. Tests may spread `inner` over lines for reading: whitespace
 * between tags is dropped, and a line break inside a tag reads as one space.
 */
export function twiml(inner: string): string {
  const compact = inner
    .trim()
    .replace(/>\s+</g, '><')
    .replace(/\s*\n\s*/g, ' ');
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${compact}</Response>`;
}
