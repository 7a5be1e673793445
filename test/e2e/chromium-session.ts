/**
 * Chromium with the extension (dist/chrome) through playwright-core's persistent context, per
 * TEST-RIG.md: headless extension loading, production names mapped to the local site with
 * --host-resolver-rules, the site's self-signed certificate accepted.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROME_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { BrowserSession, type SessionDriver } from './browser-session';
import { registerHost } from './host-registration';
import { LEGACY_COMPONENT_HOST, MAPPED_HOSTS, type LaunchOptions } from './launch-options';
import { killProcessesMentioning, within } from './process-reaper';
import { TestPage, type DriverPage } from './test-page';

export const CHROMIUM_EXTENSION_DIR = resolve(import.meta.dirname, '..', '..', 'dist', 'chrome');
const CHROMIUM = process.env.NHI_E2E_CHROMIUM ?? '/usr/bin/chromium';

function driverPage(page: Page): DriverPage {
  return {
    goto: async (url, timeoutMs) => {
      await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
    },
    click: (selector, timeoutMs) => page.click(selector, { timeout: timeoutMs }),
    // force: no actionability wait, so a disabled button gets the real click it would get from a person.
    clickNow: (selector) => page.click(selector, { force: true, timeout: 5000 }),
    fill: (selector, value, timeoutMs) => page.fill(selector, value, { timeout: timeoutMs }),
    bringToFront: () => page.bringToFront(),
    evaluate: (expression) => page.evaluate(expression),
    screenshot: async (path) => {
      await page.screenshot({ path, timeout: 5000 });
    },
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    screenshotOf: async (selector, path) => {
      await page.locator(selector).screenshot({ path, timeout: 5000 });
    },
    url: () => page.url(),
    isClosed: () => page.isClosed(),
    close: () => page.close(),
    watchLocalNetworkAccess: async () => {
      const held: string[] = [];
      const urls = new Map<string, string>();
      const cdp = await page.context().newCDPSession(page);
      cdp.on('Network.requestWillBeSent', (event) => {
        urls.set(event.requestId, event.request.url);
      });
      // Headless Chromium has no one to ask, so a request that needed the permission fails with a
      // LocalNetworkAccess* CORS error: the same request would show the prompt to a person.
      cdp.on('Network.loadingFailed', (event) => {
        if (event.corsErrorStatus?.corsError.startsWith('LocalNetworkAccess') === true) held.push(urls.get(event.requestId) ?? event.requestId);
      });
      await cdp.send('Network.enable');
      return () => [...held];
    },
    onConsole: (listener) => {
      page.on('console', (message) => {
        listener(`[${message.type()}] ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        listener(`[pageerror] ${error.message}`);
      });
    },
  };
}

/**
 * Host resolver rules: every site name to the local site, the component's name to 127.0.0.1, the
 * rest nowhere; with `localhostResolves`, `localhost` is the loopback interface, as on a person's machine.
 */
function resolverRules(port: number, localhostResolves: boolean): string {
  return [
    ...MAPPED_HOSTS.map((host) => `MAP ${host} 127.0.0.1:${port}`),
    `MAP ${LEGACY_COMPONENT_HOST} 127.0.0.1`,
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
    ...(localhostResolves ? ['EXCLUDE localhost'] : []),
  ].join(', ');
}

/** Launches Chromium with the extension; the session owns the browser. */
export async function launchChromium(options: LaunchOptions): Promise<BrowserSession> {
  const userDataDir = join(options.runDir, 'chromium-profile');
  const home = join(options.runDir, 'home');
  await mkdir(userDataDir, { recursive: true });
  await mkdir(home, { recursive: true });
  if (options.registerHost !== false) await registerHost({ browser: 'chromium', userDataDir });

  const extensionDirs = [options.extensionDir, ...(options.extraExtensionDirs ?? [])].join(',');
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    timeout: 30_000,
    ignoreHTTPSErrors: true,
    viewport: { width: 1000, height: 720 },
    env: { ...process.env, HOME: home, ...options.hostEnv },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      `--disable-extensions-except=${extensionDirs}`,
      `--load-extension=${extensionDirs}`,
      `--host-resolver-rules=${resolverRules(options.sitePort, options.sitesArePublic === true)}`,
      '--ignore-certificate-errors',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-TW',
      // The real sites are public web servers; Local Network Access judges the local site as one.
      ...(options.sitesArePublic === true ? [`--ip-address-space-overrides=127.0.0.1:${String(options.sitePort)}=public`] : []),
    ],
  });

  const listeners: ((page: TestPage) => void)[] = [];
  const ownTabs = new WeakSet<Page>();
  let windows = 0;
  context.on('page', (page) => {
    // Popups opened by the extension; tabs we open ourselves are wrapped by newPage().
    void (async () => {
      if (ownTabs.has(page)) return;
      await page.waitForLoadState('domcontentloaded', { timeout: 10_000 }).catch(() => undefined);
      if (ownTabs.has(page) || !page.url().startsWith('chrome-extension://')) return;
      windows += 1;
      const wrapped = new TestPage(driverPage(page), `window-${windows}`);
      for (const listener of listeners) listener(wrapped);
    })();
  });
  // The persistent context opens with one blank tab: the first newPage() uses it.
  const spare = context.pages();
  for (const page of spare) ownTabs.add(page);

  const driver: SessionDriver = {
    name: 'chromium',
    extensionBaseUrl: `chrome-extension://${CHROME_EXTENSION_ID}/`,
    newPage: async (label) => {
      const page = spare.shift() ?? (await context.newPage());
      ownTabs.add(page);
      return new TestPage(driverPage(page), label);
    },
    onExtensionWindow: (listener) => {
      listeners.push(listener);
    },
    close: async () => {
      const closed = await within(
        context.close().then(() => true),
        10_000,
        () => false,
      );
      if (!closed) await killProcessesMentioning(userDataDir);
    },
  };
  return new BrowserSession(driver);
}
