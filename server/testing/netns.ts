import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private network namespace joined to this host by a veth pair. Chromium ignores loopback for
 * WebRTC media (it gathers no loopback ICE candidates), so a browser that must carry real media runs in
 * here: its only address is `nsAddress`, and it reaches our server, Kamailio and rtpengine at
 * `hostAddress` across the veth link.
 */
export interface TestNetns {
  name: string;
  /** This host's end of the veth pair: what our servers listen on for the browser. */
  hostAddress: string;
  /** The namespace's end: the browser's only non-loopback address. */
  nsAddress: string;
  /** A program that runs `command` with its arguments inside the namespace (for playwright's executablePath). */
  wrap(command: string): string;
  /** Deletes the namespace (which deletes the veth pair) and the wrappers. Safe to call twice. */
  remove(): void;
}

/**
 * Why a network namespace cannot be made here, or null as root. iproute2's `ip` is a peer the caller
 * requires like Kamailio; root is not something a test run can install.
 */
export function missingNetnsSupport(): string | null {
  return process.getuid?.() === 0 ? null : 'network namespaces need root';
}

function ip(...args: string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * Creates a namespace with a unique name and a /30 in 10.0.0.0/8 that no interface on this host uses,
 * so two runs side by side never collide. Call `remove()` in a finally/afterAll.
 */
export function createTestNetns(): TestNetns {
  const id = randomBytes(4).toString('hex');
  const name = `cti-test-${id}`;
  // Interface names are at most 15 characters.
  const hostLink = `ctih${id}`;
  const nsLink = `ctin${id}`;
  const used = ip('-o', '-4', 'addr', 'show');
  let subnet: string;
  do {
    const bytes = randomBytes(3);
    subnet = `10.${bytes[0]}.${bytes[1]}.${bytes[2]! & 0xfc}`;
  } while (used.includes(` ${subnet.split('.').slice(0, 3).join('.')}.`));
  const base = subnet.split('.').map(Number);
  const hostAddress = `${base[0]}.${base[1]}.${base[2]}.${base[3]! + 1}`;
  const nsAddress = `${base[0]}.${base[1]}.${base[2]}.${base[3]! + 2}`;
  const wrappers = mkdtempSync(join(tmpdir(), 'cti-netns-'));
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('exit', remove);
    spawnSync('ip', ['netns', 'delete', name]);
    // Gone with the namespace unless creation stopped half-way.
    spawnSync('ip', ['link', 'delete', hostLink], { stdio: 'ignore' });
    rmSync(wrappers, { recursive: true, force: true });
  };
  // A test process that ends without afterAll (an uncaught error, process.exit) still deletes it.
  process.once('exit', remove);
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    ip('link', 'set', nsLink, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('-n', name, 'addr', 'add', `${nsAddress}/30`, 'dev', nsLink);
    ip('-n', name, 'link', 'set', nsLink, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    remove();
    throw error;
  }
  return {
    name,
    hostAddress,
    nsAddress,
    wrap(command) {
      const file = join(wrappers, `${command.split('/').pop()}-${randomBytes(3).toString('hex')}`);
      // `ip netns exec` execs the command in turn: the wrapper's PID ends up the program's, so whoever
      // started it stops it by that PID.
      writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${name} ${command} "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    },
    remove,
  };
}
