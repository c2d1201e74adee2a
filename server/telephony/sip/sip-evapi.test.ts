import { describe, expect, it } from 'vitest';
import { readNetstrings } from './sip-evapi.js';

describe("reading evapi's netstrings", () => {
  it('splits complete messages and keeps a partial one for the next chunk', () => {
    const { messages, rest } = readNetstrings(Buffer.from('5:ready,12:event=ended&,3:ab'));
    expect(messages).toEqual(['ready', 'event=ended&']);
    expect(rest.toString()).toBe('3:ab');
    expect(readNetstrings(Buffer.concat([rest, Buffer.from('c,')])).messages).toEqual(['abc']);
  });

  it('counts bytes, not characters', () => {
    expect(readNetstrings(Buffer.from('5:é中')).messages).toEqual([]);
    expect(readNetstrings(Buffer.from('5:é中,')).messages).toEqual(['é中']);
  });

  it('refuses malformed data rather than guessing', () => {
    expect(() => readNetstrings(Buffer.from('x:ab,'))).toThrow(/bad netstring length/);
    expect(() => readNetstrings(Buffer.from('2:abc'))).toThrow(/closing comma/);
    expect(() => readNetstrings(Buffer.from('123456789'))).toThrow(/too long/);
  });
});
