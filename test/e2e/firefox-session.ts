/**
 * Firefox ESR with the extension (dist/firefox) through puppeteer-core over WebDriver BiDi, per
 * TEST-RIG.md: a temporary add-on, host manifests under a per-run HOME, production names resolved
 * to 127.0.0.1 by `network.dns.localDomains` (so the site must serve on 443 and 80).
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import puppeteer, { TargetType, type Browser, type Page, type Target } from 'puppeteer-core';
import { GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { BrowserSession, type SessionDriver } from './browser-session';
import { registerHost } from './host-registration';
import { LEGACY_COMPONENT_HOST, MAPPED_HOSTS, type LaunchOptions } from './launch-options';
import { killProcessesMentioning, within } from './process-reaper';
import { TestPage, type DriverPage } from './test-page';

export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '..', '..', 'dist', 'firefox');
const FIREFOX = process.env.NHI_E2E_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * WebDriver BiDi in Firefox does not report navigations inside extension pages: their URL stays
 * `about:blank` and `load` never comes. For those the page itself is asked where it is.
 */
async function hrefOf(page: Page): Promise<string | undefined> {
  try {
    const href = await page.evaluate('location.href');
    return typeof href === 'string' ? href : undefined;
  } catch {
    return undefined;
  }
}

/** Polls the page until it shows `accept`ed location and has loaded; undefined on timeout. */
async function waitForDocument(page: Page, accept: (href: string) => boolean, timeoutMs: number): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !page.isClosed()) {
    const href = await hrefOf(page);
    if (href !== undefined && accept(href) && (await page.evaluate('document.readyState').catch(() => '')) === 'complete') return href;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

function driverPage(page: Page, knownHref?: string): DriverPage {
  let href = knownHref;
  return {
    goto: async (url, timeoutMs) => {
      if (!url.startsWith('moz-extension://')) {
        href = undefined;
        await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
        return;
      }
      const navigation = page.goto(url, { timeout: timeoutMs, waitUntil: 'load' }).catch(() => undefined);
      void navigation;
      const reached = await waitForDocument(page, (current) => current.startsWith(url), timeoutMs);
      if (reached === undefined) throw new Error(`navigation to ${url} did not complete within ${timeoutMs} ms`);
      href = reached;
    },
    click: async (selector, timeoutMs) => {
      await page.locator(selector).setTimeout(timeoutMs).click();
    },
    // page.click clicks at the element's centre at once; it does not wait for the element to be enabled.
    clickNow: (selector) => page.click(selector),
    fill: async (selector, value, timeoutMs) => {
      await page.locator(selector).setTimeout(timeoutMs).fill(value);
    },
    bringToFront: () => page.bringToFront(),
    evaluate: (expression) => page.evaluate(expression),
    screenshot: async (path) => {
      await page.screenshot({ path });
    },
    setViewport: (width, height) => page.setViewport({ width, height }),
    screenshotOf: async (selector, path) => {
      const element = await page.$(selector);
      if (element === null) throw new Error(`no ${selector} to take a screenshot of`);
      await element.screenshot({ path });
    },
    url: () => href ?? page.url(),
    isClosed: () => page.isClosed(),
    close: () => page.close(),
    onConsole: (listener) => {
      page.on('console', (message) => {
        listener(`[${message.type()}] ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        listener(`[pageerror] ${error instanceof Error ? error.message : String(error)}`);
      });
    },
  };
}

function uuidFor(runDir: string): string {
  const hex = createHash('sha256').update(runDir).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Launches Firefox with the extension; the session owns the browser. */
export async function launchFirefox(options: LaunchOptions): Promise<BrowserSession> {
  if (options.sitePort !== 443) throw new Error('Firefox maps names with network.dns.localDomains, which keeps the port: the site must serve on 443');
  const profile = join(options.runDir, 'firefox-profile');
  const home = join(options.runDir, 'home');
  await mkdir(profile, { recursive: true });
  await mkdir(home, { recursive: true });
  if (options.registerHost !== false) await registerHost({ browser: 'firefox', home });
  // A fixed internal UUID per run dir, so the extension's pages have a known moz-extension:// URL
  // that stays the same when a test restarts the browser on the same profile.
  const uuid = uuidFor(options.runDir);

  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: options.headless ?? true,
    userDataDir: profile,
    acceptInsecureCerts: true,
    timeout: 30_000,
    protocolTimeout: 30_000,
    defaultViewport: { width: 1000, height: 720 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // MOZ_REMOTE_ALLOW_SYSTEM_ACCESS lets BiDi open the extension's own pages (diagnostics).
    env: { ...process.env, HOME: home, ...options.hostEnv, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
    extraPrefsFirefox: {
      'network.dns.localDomains': [...MAPPED_HOSTS, LEGACY_COMPONENT_HOST].join(','),
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_EXTENSION_ID]: uuid }),
      // A temporary add-on is uninstalled at shutdown; keep its storage (remembered consent) like an installed one.
      'extensions.webextensions.keepStorageOnUninstall': true,
      'privacy.reduceTimerPrecision': false,
      // The HTTP test page must stay HTTP.
      'dom.security.https_first': false,
      'dom.security.https_only_mode': false,
      'network.stricttransportsecurity.preloadlist': false,
      'intl.accept_languages': 'zh-TW, zh, en',
    },
  });
  try {
    await browser.installExtension(options.extensionDir);
    for (const extra of options.extraExtensionDirs ?? []) await browser.installExtension(extra);
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }

  return firefoxSession(browser, `moz-extension://${uuid}/`, async () => {
    const closed = await within(
      browser.close().then(() => true),
      10_000,
      () => false,
    );
    if (!closed) {
      browser.process()?.kill('SIGKILL');
      await killProcessesMentioning(profile);
    }
  });
}

/**
 * A BrowserSession over a Firefox driven through puppeteer-core (launched here, or connected to
 * one started elsewhere): tabs, and the extension's windows (consent prompts) as they open.
 * `close` must end the browser without hanging.
 */
export async function firefoxSession(browser: Browser, extensionBaseUrl: string, close: () => Promise<void>): Promise<BrowserSession> {
  const listeners: ((page: TestPage) => void)[] = [];
  const ownTabs = new WeakSet<Page>();
  const seen = new WeakSet<Target>();
  let windows = 0;
  // Windows the extension opens (consent prompts) show up as about:blank pages: ask each new one.
  const consider = (target: Target): void => {
    if (seen.has(target) || target.type() !== TargetType.PAGE) return;
    seen.add(target);
    void (async () => {
      const page = await target.page();
      if (page === null || ownTabs.has(page)) return;
      const href = await waitForDocument(page, (current) => current !== 'about:blank', 10_000);
      if (href === undefined || ownTabs.has(page) || !href.startsWith('moz-extension://')) return;
      windows += 1;
      const wrapped = new TestPage(driverPage(page, href), `window-${windows}`);
      for (const listener of listeners) listener(wrapped);
    })();
  };
  browser.on('targetcreated', consider);
  const spare = await browser.pages();
  for (const page of spare) ownTabs.add(page);

  const driver: SessionDriver = {
    name: 'firefox',
    extensionBaseUrl,
    newPage: async (label) => {
      const page = spare.shift() ?? (await browser.newPage());
      ownTabs.add(page);
      return new TestPage(driverPage(page), label);
    },
    onExtensionWindow: (listener) => {
      listeners.push(listener);
    },
    close,
  };
  return new BrowserSession(driver);
}
