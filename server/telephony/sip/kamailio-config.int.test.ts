import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { requireSipPeers } from '../../testing/sipp.js';
import { renderKamailioConfig } from './kamailio-config.js';

requireSipPeers();

/** `kamailio -c` on a rendered config: its stderr, having asserted it passed. */
function checkWithKamailio(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cti-kamailio-check-'));
  try {
    writeFileSync(join(dir, 'kamailio.cfg'), text);
    const check = spawnSync('kamailio', ['-c', '-f', join(dir, 'kamailio.cfg')], { encoding: 'utf8' });
    expect(check.stderr).not.toMatch(/ERROR|CRITICAL/);
    expect(check.status).toBe(0);
    return check.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the shipped Kamailio template', () => {
  it('engages rtpengine on every SDP only when SIP_RTPENGINE is set', () => {
    const env = { SIP_SHARED_SECRET: 'c'.repeat(40) };
    const plain = renderKamailioConfig(loadConfig(env).sip!);
    expect(plain).not.toMatch(/#!define WITH_RTPENGINE/);
    const relayed = renderKamailioConfig(loadConfig({ ...env, SIP_RTPENGINE: 'udp:127.0.0.1:22222' }).sip!);
    expect(relayed).toMatch(/^#!define WITH_RTPENGINE$/m);
    expect(relayed).toContain('modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:22222")');
    // The two renderings differ only by the define: every rtpengine line sits inside its #!ifdef.
    expect(relayed.replace('#!define WITH_RTPENGINE', '').replaceAll('udp:127.0.0.1:22222', '')).toBe(plain);
    checkWithKamailio(plain);
    checkWithKamailio(relayed);
  });

  it('renders from our config into a file Kamailio accepts', () => {
    const { sip } = loadConfig({
      PORT: '3000',
      SIP_SHARED_SECRET: 'c'.repeat(40),
      SIP_DOMAIN: 'sip.example.com',
      SIP_LISTEN_ADDRESS: '127.0.0.1',
      SIP_ADVERTISED_ADDRESS: '203.0.113.10',
      SIP_PORT: '25060',
      SIP_WS_PORT: '28088',
      SIP_CONTROL_PORT: '25090',
    });
    const text = renderKamailioConfig(sip!);
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('listen=tcp:127.0.0.1:28088 advertise 203.0.113.10');
    expect(text).toContain('listen=tcp:127.0.0.1:25090\n');
    expect(text).toContain('"http://127.0.0.1:3000/sip/route"');
    checkWithKamailio(text);
  });
});
