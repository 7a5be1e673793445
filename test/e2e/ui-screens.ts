/**
 * Screenshots of the extension's own pages that the tests produce (consent, popup, options,
 * welcome), written under test-results/ui/; docs/images/ holds the copies the README shows.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserName } from './browser-session';
import type { TestPage } from './test-page';

export const UI_SCREENSHOT_DIR = resolve(import.meta.dirname, '..', '..', 'test-results', 'ui');

/** Saves the whole page, or only `selector` (the popup's body in a tab), as `<name>-<browser>.png`. */
export async function saveUiScreenshot(page: TestPage, name: string, browser: BrowserName, selector?: string): Promise<void> {
  await mkdir(UI_SCREENSHOT_DIR, { recursive: true });
  const path = join(UI_SCREENSHOT_DIR, `${name}-${browser}.png`);
  if (selector === undefined) await page.screenshot(path);
  else await page.screenshotOf(selector, path);
}

/** Reads a value until `accept` holds for it (bounded); resolves with it. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The toolbar badge's text, read from one of the extension's own pages. */
export function badgeText(extensionPage: TestPage): Promise<string> {
  return extensionPage.evaluate<string>('(globalThis.browser ?? globalThis.chrome).action.getBadgeText({})');
}
