import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createOriginPolicy } from './origins.js';

describe('allowed origins', () => {
  it('come from PUBLIC_BASE_URL and ALLOWED_ORIGINS only, whatever the Host header says', () => {
    const config = loadConfig({
      PUBLIC_BASE_URL: 'https://cti.example.com',
      ALLOWED_ORIGINS: 'https://wallboard.example.com, http://10.0.0.5:8080',
    });
    const allowed = createOriginPolicy(config.allowedOrigins, () => 3000);
    expect(allowed('https://cti.example.com')).toBe(true);
    expect(allowed('https://wallboard.example.com')).toBe(true);
    expect(allowed('http://10.0.0.5:8080')).toBe(true);
    // A DNS-rebinding page is served under its own name, which it also sends as Host.
    expect(allowed('http://rebind.attacker.example:3000')).toBe(false);
    expect(allowed('http://127.0.0.1:3000')).toBe(false);
    expect(allowed('null')).toBe(false);
    expect(allowed(undefined)).toBe(false);
    expect(allowed('not a url')).toBe(false);
  });

  it('admit this server on loopback at the port it listens on while PUBLIC_BASE_URL is unset', () => {
    const config = loadConfig({ PORT: '3000' });
    let port: number | null = null;
    const allowed = createOriginPolicy(config.allowedOrigins, () => port);
    expect(allowed('http://localhost:3000')).toBe(true);
    expect(allowed('http://127.0.0.1:3000')).toBe(false);
    port = 41234;
    expect(allowed('http://127.0.0.1:41234')).toBe(true);
    expect(allowed('http://localhost:41234')).toBe(true);
    expect(allowed('http://localhost:41235')).toBe(false);
  });

  it('compare serialized origins, so an explicit default port matches', () => {
    const config = loadConfig({ PUBLIC_BASE_URL: 'https://cti.example.com:443' });
    expect(createOriginPolicy(config.allowedOrigins, () => null)('https://cti.example.com:443')).toBe(true);
  });

  it.each(['ftp://x.example', 'https://x.example/app', 'nope'])('refuse ALLOWED_ORIGINS=%s', (value) => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_ORIGINS: value })).toThrow(/ALLOWED_ORIGINS/);
  });
});
