/**
 * Attacks on a trusted page's channel and on the extension itself, in real browsers:
 * - a cross-origin frame on the trusted page (an untrusted HTTPS site, and a data: URL) posts
 *   messages shaped like our channel handshake and our replies to the parent while the page
 *   reads, and a late page script offers a fake channel and asks the page-world script to offer
 *   its own again: the page's reads stay genuine, and neither gets a port, a reply or anything
 *   from the card;
 * - a late page script hooks the built-ins a bridge might call (MessagePort.prototype.postMessage,
 *   EventTarget.prototype.addEventListener/dispatchEvent, JSON, Promise.prototype.then,
 *   Object.prototype setters) while the site reads: the hooks see no card data and catch no port;
 * - another extension calls runtime.sendMessage / runtime.connect to our extension ID with our
 *   message shapes: refused, nothing reaches the card, no consent window.
 * A host started by another extension ID is refused by the host itself (FORBIDDEN_CALLER):
 * test/integration/host.test.ts. Untrusted origins, plain HTTP and sandboxed frames:
 * test/e2e/untrusted-contexts.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { CONNECT_EVENT, HANDSHAKE_TAG, RELAY_READY_EVENT } from '../../extension/shared/channel-handshake';
import { SPOOF_MARKER, SPOOF_MS, type SpoofReport } from '../site/scripts/lib-spoofing';
import { buildForeignExtension, type ForeignAttempt, type ForeignExtension, type ForeignProbeResult } from './foreign-extension';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { hookedReads, type HookedReads } from './hooking-script';
import { timedApiReads, timedLegacyRoundTrips, type TimedReplies } from './page-scripts';
import { ORIGINS, URLS } from './site-urls';

const demo = fixtureProfile('demo');
const e2e = useE2eStack();

/** A frame that never reports is a failure, not a hang: the page stops waiting after this. */
const REPORT_WAIT_MS = SPOOF_MS + 5000;

/**
 * The spoofing frames, cross-origin to the trusted page and running the same script
 * (test/site/scripts/spoofing-frame.ts): a page on an untrusted HTTPS site, and a data: frame
 * (opaque origin) that loads the script from that site.
 */
const SPOOFING_FRAMES = [
  { kind: 'an untrusted HTTPS site', src: URLS.spoofingFrame, origin: ORIGINS.spoofer },
  {
    kind: 'a data: URL with an opaque origin',
    src: `data:text/html,${encodeURIComponent(`<script src="${URLS.spoofingFrameScript}"></script>`)}`,
    origin: 'null',
  },
] as const;

/**
 * Runs in the trusted page: embeds the frame, waits until it has loaded (so it is spoofing), reads
 * while it spoofs, and returns the reads, how many spoofed replies reached the page meanwhile, and
 * the frame's report with the origin the browser gave its messages.
 */
function readWhileSpoofed(src: string): string {
  return `(async () => {
    let reading = false;
    let spoofedDuringReads = 0;
    const report = new Promise((resolve) => {
      window.addEventListener('message', (event) => {
        if (event.data && event.data.spoofReport) resolve({ ...event.data.spoofReport, from: event.origin });
        else if (reading && event.data && event.data.kind === 'response') spoofedDuringReads++;
      });
      setTimeout(() => resolve(null), ${REPORT_WAIT_MS});
    });
    const frame = document.createElement('iframe');
    frame.src = ${JSON.stringify(src)};
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    reading = true;
    const legacy = await ${timedLegacyRoundTrips(20)};
    const api = await ${timedApiReads(20)};
    reading = false;
    return { legacy, api, spoofedDuringReads, frame: await report };
  })()`;
}

/** Runs in the trusted page as a late page script: tries to get a channel of its own. */
const LATE_SCRIPT = `(async () => {
  const offers = [];
  window.addEventListener(${JSON.stringify(CONNECT_EVENT)}, (event) => offers.push(event.ports.length), true);
  // 1. Pretend the content script restarted, hoping the page-world script offers its channel again.
  window.dispatchEvent(new Event(${JSON.stringify(RELAY_READY_EVENT)}));
  // 2. Offer a fake channel exactly as the page-world script does.
  const channel = new MessageChannel();
  const received = [];
  channel.port1.onmessage = (event) => received.push(event.data);
  const taken = !window.dispatchEvent(new MessageEvent(${JSON.stringify(CONNECT_EVENT)}, {
    data: { tag: ${JSON.stringify(HANDSHAKE_TAG)}, type: 'connect' }, ports: [channel.port2], cancelable: true,
  }));
  channel.port1.postMessage({ kind: 'request', id: 1, method: 'readCard', params: {} });
  channel.port1.postMessage({ kind: 'request', id: 2, method: 'legacy', params: { line: 'GetBasic' } });
  await new Promise((resolve) => setTimeout(resolve, ${SPOOF_MS}));
  return { taken, received, offers };
})()`;

interface SpoofedReads {
  readonly legacy: TimedReplies;
  readonly api: TimedReplies;
  readonly spoofedDuringReads: number;
  /** Null when the frame never reported. `from` is the origin the browser stamped on its report. */
  readonly frame: (SpoofReport & { readonly from: string }) | null;
}

/** A refused attempt: an error, or no receiver answering (undefined, reported as null). */
function expectRefused(attempt: ForeignAttempt): void {
  if (attempt.outcome === 'resolved') expect(attempt.reply).toBeNull();
  else expect(attempt.error).toBeTruthy();
}

let foreign: ForeignExtension | undefined;
afterEach(async () => {
  await foreign?.remove();
  foreign = undefined;
});

describe.each(e2eBrowsers())('%s', (browserName) => {
  it.each(SPOOFING_FRAMES)('a cross-origin frame ($kind) spoofing handshakes and replies cannot inject into the page’s reads or get a channel', async ({ src, origin }) => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.blank);

    const reads = await page.evaluate<SpoofedReads>(readWhileSpoofed(src));

    // The frame really loaded where intended, without our scripts, and spoofed during the reads.
    expect(reads.frame).toMatchObject({ origin, from: origin, nhiCard: false });
    expect(reads.spoofedDuringReads).toBeGreaterThan(0);
    expect(reads.legacy.replies).toHaveLength(20);
    for (const reply of reads.legacy.replies) {
      expect(reply).toContain(demo.idNumber);
      expect(reply).not.toContain(SPOOF_MARKER);
    }
    expect(reads.api.replies).toEqual(Array.from({ length: 20 }, () => demo.idNumber));
    expect(reads.frame?.received).toEqual([]);
  }, E2E_TEST_TIMEOUT_MS);

  it('a late page script can neither take over the channel nor open one of its own', async () => {
    const browser = await e2e.launch(browserName);
    const page = await browser.newPage(URLS.blank);
    const card = e2e.stack.rig.card(0);
    const before = card?.apduLog.length ?? 0;

    const result = await page.evaluate<{ taken: boolean; received: unknown[]; offers: number[] }>(LATE_SCRIPT);

    expect(result.taken).toBe(false); // Nobody accepted the fake offer...
    expect(result.received).toEqual([]); // ...nobody answers on it...
    expect(result.offers).toEqual([1]); // ...and the page-world script did not offer its channel again (only our own fake offer was seen).
    expect(card?.apduLog.length ?? 0).toBe(before);
    expect(browser.consentWindowsOpened).toBe(0);
    // The page's own channel still works.
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    expect((await page.evaluate<TimedReplies>(timedApiReads(1))).replies).toEqual([demo.idNumber]);
  }, E2E_TEST_TIMEOUT_MS);

  it('a late page script hooking postMessage, addEventListener, dispatchEvent, JSON, Promise.then and Object.prototype setters sees no card data and cannot send a request', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.blank);

    const result = await page.evaluate<HookedReads>(hookedReads(SPOOF_MS));

    // The site itself still reads the card...
    expect(result.site.api).toBe(demo.idNumber);
    expect(result.site.legacy).toContain(demo.idNumber);
    // ...but nothing of it passed through the hooks, no port was caught, and no request of the script's own was answered.
    const seen = result.seen.join('\n');
    expect(seen).not.toContain(demo.idNumber);
    expect(seen).not.toContain(demo.name);
    expect(result.portsCaught).toBe(0);
    expect(result.ownReplies).toEqual([]);
  }, E2E_TEST_TIMEOUT_MS);

  it('another extension messaging ours with our message shapes is refused', async () => {
    foreign = await buildForeignExtension(browserName);
    const browser = await e2e.launch(browserName, { extraExtensionDirs: [foreign.dir] });
    const page = await browser.newPage(URLS.blank);
    const card = e2e.stack.rig.card(0);
    const before = card?.apduLog.length ?? 0;

    await page.evaluate(`document.dispatchEvent(new Event('foreign-probe'))`);
    const state = await page.waitFor('html', 'to hold the foreign extension’s result', (element) => element.data.foreignResult !== undefined, 20_000);
    const result = JSON.parse(state.data.foreignResult ?? '{}') as ForeignProbeResult;

    expectRefused(result.uiHolder);
    expectRefused(result.uiAddOrigin);
    expectRefused(result.pageRequest);
    expect(result.port.received).toEqual([]);
    expect(card?.apduLog.length ?? 0).toBe(before);
    expect(browser.consentWindowsOpened).toBe(0);
  }, E2E_TEST_TIMEOUT_MS);
});
