// `npm test`: makes sure the system peers the tests talk to are here, builds the console, runs vitest.
// Installs missing Debian packages when it may (root on Debian/Ubuntu); elsewhere says what to install.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const onPath = (command) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .concat('/usr/bin', '/usr/sbin')
    .map((dir) => join(dir, command))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

const redisAnswers = () =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });

/** Whether dpkg has this package installed (Debian/Ubuntu only). */
const dpkgInstalled = (pkg) =>
  spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('ok installed');

/**
 * Debian package → the command it provides, or null for a package of Kamailio modules, which only
 * dpkg can tell about. The SIP tests run Kamailio (with its websocket, utils, extra and json modules)
 * and SIPp; rtpengine is the media relay the SIP edge is configured for; iproute2's `ip` makes the
 * network namespace the softphone media test runs Chromium in.
 */
const peers = {
  chromium: 'chromium',
  kamailio: 'kamailio',
  'kamailio-websocket-modules': null,
  'kamailio-utils-modules': null,
  'kamailio-extra-modules': null,
  'kamailio-json-modules': null,
  'kamailio-tls-modules': null,
  'sip-tester': 'sipp',
  'rtpengine-daemon': 'rtpengine',
  iproute2: 'ip',
};
const redisUp = await redisAnswers();
if (!redisUp) peers['redis-server'] = 'redis-server';

const debian = existsSync('/etc/debian_version');
const missing = Object.entries(peers)
  .filter(([pkg, command]) => (command ? !onPath(command) : debian && !dpkgInstalled(pkg)))
  .map(([pkg]) => pkg);
if (missing.length) {
  if (!debian || process.getuid?.() !== 0) {
    console.error(
      `The tests need these system packages: ${missing.join(', ')}.\n` +
        `Install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}) and run npm test again.`,
    );
    process.exit(1);
  }
  console.log(`Installing test peers with apt-get: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (install().status !== 0) {
      console.error(`apt-get could not install ${missing.join(' ')}`);
      process.exit(1);
    }
  }
}

// Tests use Redis at 127.0.0.1:6379 under unique key prefixes; when none runs, one lives for this run.
let redis;
let redisDir;
if (!redisUp) {
  redisDir = mkdtempSync(join(tmpdir(), 'cti-test-redis-'));
  redis = spawn(
    onPath('redis-server'),
    ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 50 && !(await redisAnswers()); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits (at most 90 s) until the daemons and browsers of the run before have exited and the 1-minute
 * load average is under the number of cores: the real-time media test loses packets and Kamailio's
 * deletes to rtpengine when it starts while the machine is still busy from the rest of the suite.
 */
async function quiet() {
  const deadline = Date.now() + 90_000;
  const busy = () => {
    const leftovers = spawnSync('pgrep', ['-x', 'kamailio|rtpengine|chromium|sipp'], {
      encoding: 'utf8',
    }).stdout;
    const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    return (leftovers ?? '').trim() !== '' || load >= availableParallelism();
  };
  while (Date.now() < deadline && existsSync('/proc/loadavg') && busy()) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
let status = run('npx', ['vite', 'build', '--logLevel', 'warn']);
const args = process.argv.slice(2);
if (args.length > 0) {
  if (status === 0) status = run('npx', ['vitest', 'run', ...args]);
} else {
  // The real-time media test runs after the rest, on a quiet machine (vitest.config.ts says why).
  if (status === 0)
    status = run('npx', ['vitest', 'run', '--project', 'unit', '--project', 'int', '--project', 'e2e']);
  if (status === 0) {
    await quiet();
    status = run('npx', ['vitest', 'run', '--project', 'media']);
  }
}
redis?.kill('SIGTERM');
if (redisDir) rmSync(redisDir, { recursive: true, force: true });
process.exit(status);
