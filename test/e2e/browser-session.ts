/**
 * A running browser with our extension, as every e2e test and the demo drive it: tabs, the
 * consent windows the extension opens (answered by a policy or one by one), extension pages, and
 * artifacts on failure. The Chromium and Firefox launchers (chromium-session.ts,
 * firefox-session.ts) only adapt their driver to this.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsentWindow, type ConsentChoice, type ConsentRecord } from './consent-window';
import { CONSENT_PAGE as CONSENT_PAGE_PATH } from '../../extension/shared/extension-pages';
import type { TestPage } from './test-page';
import { WAIT_MS } from './test-page';

export type BrowserName = 'chromium' | 'firefox';

// The extension's own pages, by their paths inside the built extension (tests open the popup in a tab).
export {
  CONSENT_PAGE as CONSENT_PAGE_PATH,
  OPTIONS_PAGE as OPTIONS_PAGE_PATH,
  POPUP_PAGE as POPUP_PAGE_PATH,
  WELCOME_PAGE as WELCOME_PAGE_PATH,
} from '../../extension/shared/extension-pages';

/** How consent windows are handled: answered at once, or queued for `nextConsent()`. */
export type ConsentPolicy = { readonly kind: 'manual' } | { readonly kind: 'auto'; readonly choice: ConsentChoice; readonly remember: boolean };

/** What a launcher hands the session. */
export interface SessionDriver {
  readonly name: BrowserName;
  /** The extension's base URL, ending in `/`. */
  readonly extensionBaseUrl: string;
  newPage(label: string): Promise<TestPage>;
  /** Calls back with every window the extension opens (popups), once it has its URL. */
  onExtensionWindow(listener: (page: TestPage) => void): void;
  /** Closes the browser; must not hang (kills it when a clean close takes too long). */
  close(): Promise<void>;
}

export class BrowserSession {
  /** Every consent prompt answered so far, in order. */
  readonly consents: ConsentRecord[] = [];
  readonly #driver: SessionDriver;
  readonly #pages: TestPage[] = [];
  readonly #queued: ConsentWindow[] = [];
  readonly #waiters: ((window: ConsentWindow) => void)[] = [];
  #policy: ConsentPolicy = { kind: 'manual' };
  #tabs = 0;
  /** The tab used to wait for the extension, handed out by the first newPage(). */
  #spare: TestPage | undefined;
  #closed = false;
  #autoAnswers: Promise<void> = Promise.resolve();
  #autoFailure: Error | undefined;

  constructor(driver: SessionDriver) {
    this.#driver = driver;
    driver.onExtensionWindow((page) => {
      this.#pages.push(page);
      if (page.url().includes(CONSENT_PAGE_PATH)) this.#consentOpened(new ConsentWindow(page));
    });
  }

  get name(): BrowserName {
    return this.#driver.name;
  }

  /** How many consent windows have opened. */
  get consentWindowsOpened(): number {
    return this.#pages.filter((page) => page.url().includes(CONSENT_PAGE_PATH)).length;
  }

  /** Answers every consent window from now on (`auto`), or queues them for nextConsent(). */
  setConsentPolicy(policy: ConsentPolicy): void {
    this.#policy = policy;
    if (policy.kind === 'auto') for (const window of this.#queued.splice(0)) this.#autoAnswer(window, policy);
  }

  /** Waits for the next consent window (in manual policy); `signal` gives up early. */
  nextConsent(timeoutMs = WAIT_MS, signal?: AbortSignal): Promise<ConsentWindow> {
    const queued = this.#queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const giveUp = (reason: string): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.#waiters.indexOf(deliver);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(new Error(`${this.name}: ${reason}`));
      };
      const onAbort = (): void => {
        giveUp('stopped waiting for a consent window');
      };
      const timer = setTimeout(() => {
        giveUp(`no consent window opened within ${timeoutMs} ms`);
      }, timeoutMs);
      const deliver = (window: ConsentWindow): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(window);
      };
      this.#waiters.push(deliver);
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves once every automatic answer started so far is done; rethrows the first failure. */
  async settleConsents(): Promise<void> {
    await this.#autoAnswers;
    if (this.#autoFailure !== undefined) throw this.#autoFailure;
  }

  /** Waits for a page the extension opened by itself (a tab or window) whose URL contains `path`. */
  async extensionPage(path: string, timeoutMs = WAIT_MS): Promise<TestPage> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const page = this.#pages.find((candidate) => !candidate.closed && candidate.url().includes(path));
      if (page !== undefined) return page;
      if (performance.now() > deadline) throw new Error(`${this.name}: the extension opened no ${path} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Opens a new tab, optionally at `url`. */
  async newPage(url?: string): Promise<TestPage> {
    let page = this.#spare;
    this.#spare = undefined;
    if (page === undefined) {
      this.#tabs += 1;
      page = await this.#driver.newPage(`tab-${this.#tabs}`);
      this.#pages.push(page);
    }
    if (url !== undefined) await page.goto(url);
    return page;
  }

  /**
   * Waits until the extension serves pages: `readyUrl` (a trusted origin) shows `window.nhiCard`.
   * A browser that has just loaded an extension may not inject its content scripts into the very
   * first page yet (seen with Firefox temporary add-ons); a person never gets there that fast.
   */
  async waitUntilExtensionReady(readyUrl: string, timeoutMs = WAIT_MS): Promise<void> {
    const page = await this.newPage();
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await page.goto(readyUrl);
      if (await page.evaluate<boolean>(`typeof window.nhiCard === 'object'`)) break;
      if (performance.now() > deadline) throw new Error(`${this.name}: the extension did not serve ${readyUrl} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    this.#spare = page;
  }

  /** The URL of one of the extension's own pages. */
  extensionUrl(path: string): string {
    return `${this.#driver.extensionBaseUrl}${path}`;
  }

  /** Saves a screenshot and the console log of every open page under `dir`. Never throws. */
  async saveArtifacts(dir: string, extra: Readonly<Record<string, string>> = {}): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
      for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
      for (const page of this.#pages) {
        await writeFile(join(dir, `${this.name}-${page.label}.console.log`), `${page.url()}\n${page.console.join('\n')}\n`);
        if (page.closed) continue;
        await Promise.race([page.screenshot(join(dir, `${this.name}-${page.label}.png`)), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(
          () => undefined,
        );
      }
    } catch {
      // Artifacts help; they must not mask the test's own failure.
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.close();
  }

  #consentOpened(window: ConsentWindow): void {
    const policy = this.#policy;
    if (policy.kind === 'auto') {
      this.#autoAnswer(window, policy);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#queued.push(window);
    else waiter(window);
  }

  #autoAnswer(window: ConsentWindow, policy: Extract<ConsentPolicy, { kind: 'auto' }>): void {
    const answered = window.answer(policy.choice, { remember: policy.remember }).then(
      (record) => {
        this.consents.push(record);
      },
      (error: unknown) => {
        this.#autoFailure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
    this.#autoAnswers = Promise.all([this.#autoAnswers, answered]).then(() => undefined);
  }
}
