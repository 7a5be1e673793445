/**
 * The 2024 page library's HTTP transport (issue 16, items 1 and 2), in real browsers with the real
 * extension, host, pcscd and virtual card: on a trusted origin our stand-in of the library finds
 * "the component" on http://localhost:59001 and completes H_Sign through the HTTP API, while a
 * listener on the loopback ports 59001 and 59002 sees no connection at all; on an untrusted
 * origin the same page's requests reach that listener, untouched.
 *
 * Local Network Access, checked in Chromium itself: the browser treats the local site as the
 * public web server the real sites are, and a CDP watch records every request it holds for that
 * permission (the prompt's trigger; headless Chromium refuses it, which CDP reports). The trusted
 * page has none, while the untrusted page's own requests show the watch would see them.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { maskEmail, SITE_ACCOUNTS } from '../site/site-accounts';
import { EVIL_HOST, NHI_HOST } from '../site/site-hosts';
import type { HttpProbeReport } from '../site/scripts/http-library';
import type { ComponentAnswer } from '../site/scripts/lib-nhiicc-http';
import { E2E_HOOK_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { runForgotPassword } from './page-flows';
import { testId, type TestPage } from './test-page';
import type { BrowserSession } from './browser-session';

const demo = fixtureProfile('demo');
const demoAccount = SITE_ACCOUNTS[0];
if (demoAccount?.profile !== 'demo') throw new Error('the first site account must be the demo card holder');

const TRUSTED_PAGE = `https://${NHI_HOST}/services/forgot-password-http`;
const UNTRUSTED_PAGE = `https://${EVIL_HOST}/http-library`;
const COMPONENT_PORTS = [59001, 59002] as const;
/** A registration password of the shape EnCrypt takes (6 to 12 ASCII characters); made up. */
const AUTH_PASSWORD = 'Test-1234';
/** Upper-case hex in whole 8-byte blocks, as EnCrypt and SecureGetBasicWithParam give it. */
const HEX_BLOCKS = /^(?:[0-9A-F]{16})+$/u;
/** Every loopback address a browser may pick for `localhost`. */
const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const;

/**
 * How long a connection is held before it is dropped: Chromium judges a connection for Local
 * Network Access once it is made, so one dropped at once can fail before that check is reported.
 */
const HOLD_CONNECTION_MS = 1000;

/** A stand-in for the official component's ports: counts connections and drops each after a moment. */
interface LoopbackListener {
  /** Connections so far, by port. */
  readonly connections: Map<number, number>;
  close(): Promise<void>;
}

async function listenOnComponentPorts(): Promise<LoopbackListener> {
  const connections = new Map<number, number>(COMPONENT_PORTS.map((port) => [port, 0]));
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  for (const port of COMPONENT_PORTS) {
    for (const host of LOOPBACK_ADDRESSES) {
      const server = createServer((socket) => {
        connections.set(port, (connections.get(port) ?? 0) + 1);
        sockets.add(socket);
        socket.on('error', () => undefined);
        // Never answered: the page's request fails soon instead of waiting for an answer.
        setTimeout(() => socket.destroy(), HOLD_CONNECTION_MS).unref();
      });
      const listening = await new Promise<boolean>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => {
          // A machine without IPv6 has no ::1 to listen on; nothing can connect there either.
          if (host === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) resolve(false);
          else reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
        });
        server.listen(port, host, () => {
          resolve(true);
        });
      });
      if (listening) servers.push(server);
    }
  }
  return {
    connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => { resolve(); }))));
    },
  };
}

async function probeReport(page: TestPage): Promise<HttpProbeReport> {
  const state = await page.waitFor(testId('probe'), 'to report', (element) => element.data.done === 'true', 30_000);
  return JSON.parse(state.text) as HttpProbeReport;
}

const e2e = useE2eStack();
let listener: LoopbackListener | undefined;

beforeAll(async () => {
  listener = await listenOnComponentPorts();
}, E2E_HOOK_TIMEOUT_MS);

afterEach(() => {
  for (const port of COMPONENT_PORTS) listener?.connections.set(port, 0);
});

afterAll(async () => {
  await listener?.close();
}, E2E_HOOK_TIMEOUT_MS);

/**
 * A new tab on `url`, with Chromium's record of requests held for Local Network Access started
 * before the page loads; `held` is undefined in a browser without that permission.
 */
async function openWatched(browser: BrowserSession, url: string): Promise<{ page: TestPage; held: (() => readonly string[]) | undefined }> {
  const page = await browser.newPage();
  const held = await page.driver.watchLocalNetworkAccess?.();
  await page.goto(url);
  return { page, held };
}

function connections(): Record<number, number> {
  return Object.fromEntries(listener?.connections ?? []);
}

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('a trusted page completes GetVersion -> GetRandom -> GetBasic -> SignHC over HTTP (then EncryptPwd and GetEncryptBasic), and nothing reaches the loopback ports', async () => {
    const browser = await e2e.launch(browserName, { sitesArePublic: true });
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const { page, held } = await openWatched(browser, TRUSTED_PAGE);

    const report = await probeReport(page);
    // The library found "the component" on both HTTP ports, so it takes the HTTP path.
    expect(report).toMatchObject({ http: true, https: true });
    expect(report.status).toEqual({ result: '0000' });
    expect(report.cardStatus).toEqual({ result: '0000' });
    expect(report.fetchVersion).toEqual({ result: '0000', version: expect.stringMatching(/^\d{4}$/) as unknown });
    expect(report.loopbackIp).toEqual(report.fetchVersion);

    const result = await runForgotPassword(page);

    expect(result).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    expect(result.text).toContain(maskEmail(demoAccount.email));
    const records = await e2e.stack.site.records();
    // The site checked the SAM signature over version + random: the HTTP answers are the real ones.
    expect(records.mails).toEqual([expect.objectContaining({ to: demoAccount.email, kind: 'password-reset' })]);
    expect(records.refusals).toEqual([]);
    // The library's other calls (its AuthHC chain), over the same path: jQuery-style POSTs with a JSON body.
    const encrypted = await page.evaluate<ComponentAnswer[]>(`Promise.all(['EncryptPwd', 'GetEncryptBasic'].map((call) => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', 'http://localhost:59001/api/' + call, true);
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
      xhr.onload = () => resolve(JSON.parse(xhr.responseText));
      xhr.onerror = () => reject(new Error(call + ' failed'));
      xhr.send(JSON.stringify({ pwd: ${JSON.stringify(AUTH_PASSWORD)} }));
    })))`);
    expect(encrypted).toEqual([
      { result: '0000', pwd_encrypt: expect.stringMatching(HEX_BLOCKS) as unknown },
      { result: '0000', basic_encrypt: expect.stringMatching(HEX_BLOCKS) as unknown },
    ]);
    await browser.settleConsents();
    expect(new Set(browser.consents.map((consent) => consent.origin))).toEqual(new Set([`https://${NHI_HOST}`]));
    // The HTML's own <img> included, which only the network rule can stop.
    const parserImage = await page.evaluate<string>(`(() => { const image = document.getElementById('parser-image'); return image.complete && image.naturalWidth === 0 ? 'failed' : 'loaded-or-pending'; })()`);
    expect(parserImage).toBe('failed');
    // No request of the page, the library's WebSocket included, needed the local-network permission.
    if (browserName === 'chromium') expect(held?.()).toEqual([]);
    expect(connections()).toEqual({ 59001: 0, 59002: 0 });
  }, E2E_TEST_TIMEOUT_MS);

  it("an untrusted site's requests to the loopback ports are left alone", async () => {
    const browser = await e2e.launch(browserName, { sitesArePublic: true });
    const { page, held } = await openWatched(browser, UNTRUSTED_PAGE);

    const report = await probeReport(page);

    // Nothing answered it in the page: every probe went out and failed at our dropping listener.
    expect(report).toMatchObject({ http: false, https: false });
    expect(String(report.status)).toMatch(/^failed/);
    expect(String(report.fetchVersion)).toMatch(/^failed/);
    expect(String(report.loopbackIp)).toMatch(/^failed/);
    expect(listener?.connections.get(59001)).toBeGreaterThan(0);
    expect(listener?.connections.get(59002)).toBeGreaterThan(0);
    expect(browser.consentWindowsOpened).toBe(0);
    // The watch sees such requests: here the browser itself held them for the permission.
    if (browserName === 'chromium') expect(held?.()).toEqual(expect.arrayContaining(['http://localhost:59001/api/GetVersion']));
  }, E2E_TEST_TIMEOUT_MS);
});
