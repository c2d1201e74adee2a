import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKamailioControl, type KamailioControl } from '../../server/telephony/sip/kamailio-control.js';
import { renderKamailioConfig } from '../../server/telephony/sip/kamailio-config.js';
import { startKamailio, type RunningKamailio } from '../../server/telephony/sip/kamailio-process.js';
import { rtpengineCommand, type NgValue } from '../../server/telephony/sip/rtpengine-ng.js';
import { startRtpengine, type RunningRtpengine } from '../../server/telephony/sip/rtpengine-process.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { makeAgent, makeCustomer, makeQueue } from '../../server/testing/factories.js';
import { createTestContext, freePort, until, type TestContext } from '../../server/testing/harness.js';
import { createTestNetns, missingNetnsSupport, type TestNetns } from '../../server/testing/netns.js';
import { requireSipPeers, pcmuToneWav, sippCall, type SippResult } from '../../server/testing/sipp.js';
import { en } from '../i18n/en.js';
import type { CtiSoftphone } from './cti-softphone.js';
import type { CallQuality } from './softphone.js';

const SECRET = 'media-test-secret-0123456789abcdefghijkl';
const CALLER = '+14155550188';
const BUILT_CONSOLE = new URL('../../dist/console/index.html', import.meta.url);

requireSipPeers('rtpengine', 'ip');
if (!existsSync(BUILT_CONSOLE)) {
  throw new Error(
    'The softphone media test needs the built console: run `npm run build:console` (npm test builds it).',
  );
}
// Network namespaces need root, which no install gives a run; without it the test says so and skips.
const notRoot = missingNetnsSupport();
if (notRoot) console.warn(`Softphone media test skipped: ${notRoot}`);

/**
 * The whole media path a contact center with a SIP trunk meets: a SIPp caller speaking plain RTP
 * (PCMU) through Kamailio and rtpengine into the console's own softphone in Chromium, which speaks
 * WebRTC (ICE, DTLS-SRTP, rtcp-mux). Chromium runs in a network namespace of its own, because it
 * gathers no ICE candidates on loopback; our server, Kamailio and rtpengine listen on this host's end
 * of the veth pair.
 */
describe.skipIf(notRoot !== null)(
  'softphone: real WebRTC media from a SIP trunk call (Chromium, rtpengine)',
  () => {
    let netns: TestNetns;
    let ctx: TestContext;
    let kamailio: RunningKamailio;
    let rtpengine: RunningRtpengine;
    let browser: Browser;
    let origin: string;
    let sipPort: number;
    let ng: { host: string; port: number };
    let customerId: number;
    let control: KamailioControl;

    beforeAll(async () => {
      netns = createTestNetns();
      const host = netns.hostAddress;
      const appPort = await freePort();
      sipPort = await freePort();
      const controlPort = await freePort();
      ng = { host: '127.0.0.1', port: await freePort() };
      // An even start inside a range no other helper picks by default.
      const rtpBase = 40_000 + 2 * Math.floor(Math.random() * 5000);
      origin = `http://${host}:${appPort}`;
      ctx = await createTestContext({
        env: {
          PUBLIC_BASE_URL: origin,
          SIP_SHARED_SECRET: SECRET,
          SIP_DOMAIN: 'cti.test',
          SIP_LISTEN_ADDRESS: host,
          SIP_PORT: String(sipPort),
          SIP_WS_PORT: String(await freePort()),
          SIP_CONTROL_PORT: String(controlPort),
          SIP_CTI_URL: origin,
          SIP_DEFAULT_QUEUE: 'Support',
          SIP_RTPENGINE: `udp:${ng.host}:${ng.port}`,
          SIP_RTP_PORTS: `${rtpBase}-${rtpBase + 99}`,
        },
        clock: 'system',
        app: { callTimers: false },
        arrange: async (db) => {
          await makeAgent(db, {
            username: 'ana',
            password: 'ana-password',
            displayName: 'Ana',
            sipAddress: 'sip:ana@cti.test',
          });
          // No after-call work: the call that ends is complete at once.
          makeQueue(db, 'Support', { acwPolicy: 'none' });
          customerId = makeCustomer(db, { name: 'Grace Hopper', company: 'Navy', phones: [CALLER] });
        },
      });
      await ctx.app.listen({ port: appPort, host });
      const sip = ctx.config.sip!;
      // No grace after a delete: the test checks the call is gone.
      rtpengine = await startRtpengine({ ...sip.rtpengine!, mediaInterface: host, deleteDelaySeconds: 0 });
      control = createKamailioControl({
        controlUrl: new URL(`http://127.0.0.1:${controlPort}`),
        sharedSecret: SECRET,
      });
      kamailio = await startKamailio({
        config: renderKamailioConfig(sip, { children: 2 }),
        controlPort,
        sharedSecret: SECRET,
      });
      browser = await launchChromium({
        wrap: (chromium) => netns.wrap(chromium),
        args: [
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          '--autoplay-policy=no-user-gesture-required',
          // getUserMedia needs a secure context; across the veth link the console is plain http.
          `--unsafely-treat-insecure-origin-as-secure=${origin}`,
        ],
      });
    }, 90_000);

    let callers = new AbortController();

    afterEach(async (test) => {
      callers.abort();
      callers = new AbortController();
      // A failed test leaves neither a registered softphone (it would answer the next test's call too)
      // nor a call in rtpengine (the next test waits for rtpengine to hold none).
      for (const context of browser?.contexts() ?? []) {
        for (const page of context.pages()) await page.close();
      }
      if (test.task.result?.state !== 'fail') return;
      const leftover = ng ? ((await rtpengineCommand(ng, 'list')).calls as NgValue[]) : [];
      for (const callId of leftover) await rtpengineCommand(ng, 'delete', { 'call-id': callId });
      const sipLog = ctx
        ?.logs()
        .split('\n')
        .filter(
          (line) => /sip|dialog|reconcil|interactionId/i.test(line) && !/"url":"\/api\/sip\/cred/.test(line),
        )
        .join('\n');
      console.error(`Server (SIP lines):\n${sipLog?.slice(-4000)}`);
      console.error(`Kamailio:\n${kamailio?.output().slice(-4000)}`);
      // Without the test's own polling ('list' every 20 ms), which would push the calls' story out.
      const story = rtpengine
        ?.output()
        .split('\n')
        .filter((line) => !/Re(ceived command|plying to) '(list|ping)'/.test(line))
        .join('\n');
      console.error(`rtpengine:\n${story?.slice(-6000)}`);
    });

    afterAll(async () => {
      await browser?.close().catch(() => {});
      await kamailio?.stop();
      await rtpengine?.stop();
      await ctx?.close();
      netns?.remove();
    });

    /** The SDP bodies of the 200s SIPp received, each asserted to be plain RTP/AVP. */
    function expectPlainRtp(sipp: SippResult): string[] {
      const bodies = sipp.received
        .filter((message) => /^SIP\/2\.0 200/m.test(message) && /^m=audio/m.test(message))
        .map((message) => message.slice(message.search(/^v=0/m)));
      for (const body of bodies) {
        expect(body).toMatch(/^m=audio \d+ RTP\/AVP 0/m);
        expect(body).not.toMatch(/^a=(ice-ufrag|fingerprint|rtcp-mux|setup)/m);
      }
      return bodies;
    }

    /** Ana signs in through the login page, her softphone registers, she goes Available. */
    async function availableAna(): Promise<Page> {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await signIn(page, origin, 'ana', 'ana-password');
      await page.getByRole('heading', { name: 'Desk', level: 1 }).waitFor();
      await page.getByText(en['softphone.registration.registered']).waitFor();
      await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Available' });
      await page.getByText('Waiting for calls', { exact: true }).waitFor();
      return page;
    }

    /** A SIPp caller (the customer's number) into the queue; Ana accepts the offer on her desk. */
    async function callAna(
      page: Page,
      scenario: 'callerStreamsAudio' | 'callerHoldsAndResumes',
    ): Promise<{ call: Promise<SippResult> }> {
      const call: Promise<SippResult> = sippCall({
        scenario,
        proxy: `${netns.hostAddress}:${sipPort}`,
        localAddress: netns.hostAddress,
        to: '100',
        from: CALLER,
        files: { 'caller-audio.wav': pcmuToneWav(5) },
        signal: callers.signal,
      });
      await page.getByRole('heading', { name: en['desk.offer.title'] }).waitFor();
      await page.getByText('Grace Hopper').first().waitFor();
      await page.getByRole('button', { name: en['desk.offer.accept'] }).click();
      await page.getByText(en['softphone.call.active']).waitFor();
      // Wrapped: awaiting a bare promise here would wait for the whole call.
      return { call };
    }

    /** Ana hangs up on the desk; the SIPp caller gets the BYE and the Interaction completes. */
    async function hangUp(page: Page, call: Promise<SippResult>): Promise<SippResult> {
      // The desk's Hang up (the softphone shows its own too): the server ends the dialog.
      await page.locator('cti-call-panel').getByRole('button', { name: en['desk.call.hangUp'] }).click();
      const sipp = await call;
      expect(sipp.code, sipp.output).toBe(0);
      expect(sipp.requests).toContain('BYE');
      for (;;) {
        const row = ctx.db
          .prepare('SELECT state, outcome, customer_id, provider FROM interactions ORDER BY id DESC LIMIT 1')
          .get() as { state: string; outcome: string; customer_id: number; provider: string } | undefined;
        if (row?.state === 'completed') {
          expect(row).toEqual({
            state: 'completed',
            outcome: 'answered',
            customer_id: customerId,
            provider: 'sip',
          });
          // The hang-up went through Kamailio's dialog: rtpengine lets go of the call. Kamailio tells
          // rtpengine and our server independently, so the Interaction may complete first.
          await until(
            async () => ((await rtpengineCommand(ng, 'list')).calls as NgValue[]).length === 0,
            'rtpengine to let go of the call',
          );
          return sipp;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const quality = (page: Page) =>
      page.locator('cti-softphone').evaluate((element: CtiSoftphone) => element.callQuality());

    async function waitForQuality(
      page: Page,
      ready: (quality: CallQuality) => boolean,
    ): Promise<CallQuality> {
      for (;;) {
        const current = await quality(page);
        if (current && ready(current)) return current;
        await page.waitForTimeout(200);
      }
    }

    it('rings the desk with the customer, the softphone answers, audio flows both ways, the call completes', async () => {
      const page = await availableAna();
      const { call } = await callAna(page, 'callerStreamsAudio');

      const first = await waitForQuality(
        page,
        (current) =>
          current.connectionState === 'connected' && current.bytesReceived > 0 && current.bytesSent > 0,
      );
      const later = await waitForQuality(
        page,
        (current) => current.bytesReceived > first.bytesReceived && current.bytesSent > first.bytesSent,
      );
      expect(later.connectionState).toBe('connected');
      expect(later.packetsReceived).toBeGreaterThan(0);

      // rtpengine carries the call: SIPp's plain RTP on one side, the browser's SRTP on the other.
      const listed = await rtpengineCommand(ng, 'list');
      const callIds = listed.calls as NgValue[];
      expect(callIds).toHaveLength(1);
      const query = await rtpengineCommand(ng, 'query', { 'call-id': callIds[0]! });
      expect(query.result).toBe('ok');
      expect(JSON.stringify(query.totals)).toMatch(/"bytes":[1-9]/);

      const sipp = await hangUp(page, call);
      // SIPp heard plain RTP: the answer it got names no ICE, DTLS or rtcp-mux.
      expect(expectPlainRtp(sipp)).toHaveLength(1);
    }, 90_000);

    it('the caller holds and resumes (re-INVITEs through rtpengine both ways); audio flows again after', async () => {
      const page = await availableAna();
      const { call } = await callAna(page, 'callerHoldsAndResumes');
      await waitForQuality(
        page,
        (current) => current.connectionState === 'connected' && current.bytesSent > 0,
      );
      // The resume (CSeq 3) has reached Kamailio once the dialog's caller CSeq says so.
      for (;;) {
        if (/"cseq":"3"/.test(JSON.stringify(await control.rpc('dlg.list')))) break;
        await page.waitForTimeout(200);
      }
      const resumed = await waitForQuality(page, (current) => current.connectionState === 'connected');
      await waitForQuality(
        page,
        (current) => current.bytesSent > resumed.bytesSent && current.bytesReceived > resumed.bytesReceived,
      );
      const answers = expectPlainRtp(await hangUp(page, call));
      // The softphone's answers to the INVITE and both re-INVITEs, rewritten for SIPp: on hold it only listens.
      expect(answers).toHaveLength(3);
      expect(answers[1]).toMatch(/^a=recvonly/m);
      expect(answers[2]).toMatch(/^a=sendrecv/m);
    }, 90_000);
  },
);
