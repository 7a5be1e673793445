/**
 * The stores' screenshots (1280x800), taken in Chromium on the replica sites with the virtual card:
 * the consent prompt, a page after the read, an official-style legacy page served through the
 * extension, and the options page with the remembered decision and the recent-read log. Written to
 * test-results/store-screenshots/; store/screenshots/ holds a copy committed from one run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { OPTIONS_PAGE_PATH } from './browser-session';
import { E2E_TEST_TIMEOUT_MS, useE2eStack } from './harness';
import { runForgotPassword, runModernRead } from './page-flows';
import { ORIGINS, URLS } from './site-urls';

const WIDTH = 1280;
const HEIGHT = 800;
const OUT_DIR = resolve(import.meta.dirname, '..', '..', 'test-results', 'store-screenshots');
const demo = fixtureProfile('demo');
const e2e = useE2eStack();

/** Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian). */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('store screenshots (Chromium)', () => {
  it('consent prompt, a read, a legacy page and the options page, each 1280x800', async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    const shot = (name: string): string => join(OUT_DIR, `${name}.png`);
    const browser = await e2e.launch('chromium');

    const page = await browser.newPage(URLS.modern);
    await page.setViewport(WIDTH, HEIGHT);
    const reading = runModernRead(page);
    const prompt = await browser.nextConsent();
    expect(await prompt.origin()).toBe(ORIGINS.modern);
    await prompt.page.setViewport(WIDTH, HEIGHT);
    await prompt.page.screenshot(shot('1-consent'));
    await prompt.answer('allow', { remember: true });
    expect(await reading).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    await page.screenshot(shot('2-page-read'));

    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: true });
    const legacy = await browser.newPage(URLS.forgotPassword);
    await legacy.setViewport(WIDTH, HEIGHT);
    expect(await runForgotPassword(legacy)).toMatchObject({ ok: true });
    await legacy.screenshot(shot('3-legacy-page'));

    const options = await browser.newPage(browser.extensionUrl(OPTIONS_PAGE_PATH));
    await options.setViewport(WIDTH, HEIGHT);
    await options.waitForText('body', new RegExp(ORIGINS.modern.replace(/[.]/g, '\\.')));
    await options.screenshot(shot('4-options'));

    for (const name of ['1-consent', '2-page-read', '3-legacy-page', '4-options']) expect(pngSize(shot(name)), name).toEqual({ width: WIDTH, height: HEIGHT });
  }, E2E_TEST_TIMEOUT_MS * 2);
});
