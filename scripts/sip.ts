// `npm run sip`: the SIP edge for development. Renders the shipped Kamailio template from the same
// environment the server reads (SIP_SHARED_SECRET and the other SIP_* variables) and runs Kamailio
// in the foreground until Ctrl-C, with rtpengine beside it when SIP_RTPENGINE names one (media between
// plain-RTP trunks and the browsers' WebRTC). `npm run sip -- --print` writes the rendered config to
// stdout instead, for a production Kamailio (see the README's SIP section).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.js';
import { renderKamailioConfig, startKamailio, startRtpengine } from '../server/telephony/index.js';

const { values } = parseArgs({
  options: { print: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log(
    'Usage: npm run sip [-- --print]\n  --print  write the rendered Kamailio config to stdout and exit',
  );
  process.exit(0);
}

let sip;
try {
  sip = loadConfig().sip;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
if (!sip) {
  console.error(
    'The SIP edge is off: set SIP_SHARED_SECRET (32+ letters, digits, - _ . ~) for both `npm run sip` and the\n' +
      'server, e.g. export SIP_SHARED_SECRET=$(openssl rand -hex 24)',
  );
  process.exit(1);
}

// Kamailio's own "debug" level: 2 logs each routing decision, useful while developing.
const config = renderKamailioConfig(sip, { logLevel: 2 });
if (values.print) {
  process.stdout.write(config);
  process.exit(0);
}

// Media flows through the address trunks and browsers reach; behind NAT rtpengine announces the public one.
const mediaInterface = sip.advertisedAddress
  ? `${sip.listenAddress}!${sip.advertisedAddress}`
  : sip.listenAddress;
const rtpengine = sip.rtpengine
  ? await startRtpengine({ ...sip.rtpengine, mediaInterface, echo: true })
  : null;
const kamailio = await startKamailio({
  config,
  controlPort: sip.controlPort,
  sharedSecret: sip.sharedSecret,
  echo: true,
});
console.log(
  `Kamailio ${kamailio.pid} is up: softphones ${sip.wsUrl}, trunks sip:${sip.listenAddress}:${sip.sipPort} (udp, tcp), ` +
    `control http://127.0.0.1:${sip.controlPort}, asking ${sip.ctiUrl.origin}/sip. Ctrl-C stops it.`,
);
if (rtpengine && sip.rtpengine) {
  const { ngHost, ngPort, portMin, portMax } = sip.rtpengine;
  console.log(
    `rtpengine ${rtpengine.pid} relays media on ${mediaInterface} UDP ${portMin}-${portMax} (ng udp:${ngHost}:${ngPort}).\n` +
      `Point a trunk or desk phone at sip:${sip.advertisedAddress ?? sip.listenAddress}:${sip.sipPort} (UDP or TCP, plain RTP, ` +
      `PCMU/PCMA); rtpengine turns its audio into WebRTC for the agents' softphones.`,
  );
  if (sip.listenAddress.startsWith('127.')) {
    console.log("Browsers ignore loopback for media: set SIP_LISTEN_ADDRESS to this machine's LAN address.");
  }
} else {
  console.log(
    'No media relay (SIP_RTPENGINE unset): only WebRTC peers can talk to the softphones. ' +
      'Set SIP_RTPENGINE=udp:127.0.0.1:22222 to bridge plain-RTP trunks and phones.',
  );
}
const stop = () => void Promise.all([kamailio.stop(), rtpengine?.stop()]).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
