/**
 * One browser tab (or extension window) as tests drive it, the same for Chromium (playwright-core)
 * and Firefox (puppeteer-core): each driver supplies a DriverPage, and every wait here is bounded.
 */

/** What a browser driver must provide for one page. */
export interface DriverPage {
  goto(url: string, timeoutMs: number): Promise<void>;
  /** Makes this the active tab (background tabs do not render, so clicks there can stall). */
  bringToFront(): Promise<void>;
  click(selector: string, timeoutMs: number): Promise<void>;
  /** A real mouse click at the element now, without waiting for it to be enabled (tests of inert buttons). */
  clickNow(selector: string): Promise<void>;
  fill(selector: string, value: string, timeoutMs: number): Promise<void>;
  /** Evaluates a JavaScript expression in the page (promises are awaited). */
  evaluate(expression: string): Promise<unknown>;
  screenshot(path: string): Promise<void>;
  /** Resizes the page's viewport (CSS pixels), e.g. to the stores' screenshot size. */
  setViewport(width: number, height: number): Promise<void>;
  /** A screenshot of one element only (e.g. the popup's body in a tab). */
  screenshotOf(selector: string, path: string): Promise<void>;
  url(): string;
  isClosed(): boolean;
  close(): Promise<void>;
  /** Console messages and uncaught page errors, one line each. */
  onConsole(listener: (line: string) => void): void;
  /**
   * Chromium: starts recording this page's requests that the browser held for the Local Network
   * Access permission (the permission prompt's trigger), and returns a reader of their URLs.
   * Absent in a browser without that permission.
   */
  watchLocalNetworkAccess?(): Promise<() => readonly string[]>;
}

/** Default bound for one wait in a test: well under the test's own timeout. */
export const WAIT_MS = 15_000;

/** What tests read from one element. */
export interface ElementState {
  readonly text: string;
  readonly hidden: boolean;
  readonly data: Readonly<Record<string, string>>;
}

function elementStateExpression(selector: string): string {
  return `(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (element === null) return null;
    return { text: element.textContent ?? '', hidden: element.closest('[hidden]') !== null, data: { ...element.dataset } };
  })()`;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export class TestPage {
  /** Console lines and page errors, in order (for failure artifacts). */
  readonly console: string[] = [];

  constructor(
    readonly driver: DriverPage,
    /** A label for artifacts: `tab-1`, `consent-2`, ... */
    readonly label: string,
  ) {
    driver.onConsole((line) => this.console.push(line));
  }

  url(): string {
    return this.driver.url();
  }

  get closed(): boolean {
    return this.driver.isClosed();
  }

  async goto(url: string, timeoutMs = WAIT_MS): Promise<void> {
    await this.driver.goto(url, timeoutMs);
  }

  async click(selector: string, timeoutMs = WAIT_MS): Promise<void> {
    await this.#toFront();
    await this.driver.click(selector, timeoutMs);
  }

  /** Clicks at once, enabled or not: what a double-click or a click-through does to a new window. */
  async clickNow(selector: string): Promise<void> {
    await this.driver.clickNow(selector);
  }

  async fill(selector: string, value: string, timeoutMs = WAIT_MS): Promise<void> {
    await this.#toFront();
    await this.driver.fill(selector, value, timeoutMs);
  }

  /**
   * Brings a hidden tab to the front before input. Only when hidden: activating a tab while an
   * extension window has the focus can stall in Firefox, so the attempt is also bounded.
   */
  async #toFront(): Promise<void> {
    if ((await this.evaluate<string>('document.visibilityState')) === 'visible') return;
    await Promise.race([this.driver.bringToFront().catch(() => undefined), sleep(3000)]);
  }

  async evaluate<T>(expression: string): Promise<T> {
    return (await this.driver.evaluate(expression)) as T;
  }

  /** The element's state now, or undefined when it does not exist. */
  async element(selector: string): Promise<ElementState | undefined> {
    return (await this.evaluate<ElementState | null>(elementStateExpression(selector))) ?? undefined;
  }

  /**
   * Waits until the element exists and `accept` holds for it; resolves with its state. The error
   * names the selector, what was wanted and what was last seen.
   */
  async waitFor(selector: string, what: string, accept: (state: ElementState) => boolean, timeoutMs = WAIT_MS): Promise<ElementState> {
    const deadline = performance.now() + timeoutMs;
    let last: ElementState | undefined;
    for (;;) {
      last = await this.element(selector);
      if (last !== undefined && accept(last)) return last;
      if (performance.now() > deadline) {
        throw new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${selector} ${what}; last seen: ${JSON.stringify(last ?? null)}`);
      }
      await sleep(100);
    }
  }

  /** Waits until the element is shown and its text matches; resolves with the text. */
  async waitForText(selector: string, pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    const state = await this.waitFor(selector, `to show text ${String(pattern)}`, (element) => !element.hidden && pattern.test(element.text), timeoutMs);
    return state.text;
  }

  /** Waits until one of several elements is shown, e.g. a result or an error; resolves with its selector. */
  async waitForAny(selectors: readonly string[], timeoutMs = WAIT_MS): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      for (const selector of selectors) {
        const state = await this.element(selector);
        if (state !== undefined && !state.hidden && state.text.trim() !== '') return selector;
      }
      if (performance.now() > deadline) throw new Error(`${this.label}: none of ${selectors.join(', ')} was shown within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /**
   * Waits until the page is gone: closed as the driver reports it, or no longer answering (Firefox's
   * BiDi does not always report windows an extension closes).
   */
  async waitClosed(timeoutMs = WAIT_MS): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.closed) return true;
      const answered = await Promise.race([
        this.driver.evaluate('1').then(
          () => true,
          () => false,
        ),
        sleep(1000).then(() => true),
      ]);
      if (!answered) return true;
      await sleep(100);
    }
    return this.closed;
  }

  async screenshotOf(selector: string, path: string): Promise<void> {
    await this.driver.screenshotOf(selector, path);
  }

  async screenshot(path: string): Promise<void> {
    await this.driver.screenshot(path);
  }

  async setViewport(width: number, height: number): Promise<void> {
    await this.driver.setViewport(width, height);
  }

  async close(): Promise<void> {
    if (!this.closed) await this.driver.close();
  }
}

/** A selector for a `data-testid`. */
export function testId(id: string): string {
  return `[data-testid="${id}"]`;
}
