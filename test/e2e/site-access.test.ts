/**
 * The browser withholds the extension's access to the built-in government sites (a person withdrew
 * it, or Firefox found the system add-on in a profile from before the install): the welcome page
 * opens by itself with the sites and an "Allow on these sites" button, the popup warns the same way,
 * and a trusted page gets no window.nhiCard. Granting goes through the browser's own permission
 * prompt, which automation cannot answer: the test stops at the button. Chromium refuses to remove
 * required hosts, so there the withdrawal itself cannot be driven.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SITE_ORIGINS } from '../../extension/shared/site-access';
import { matchPatternFor } from '../../extension/shared/trusted-origins';
import type { BrowserSession } from './browser-session';
import { OPTIONS_PAGE_PATH, POPUP_PAGE_PATH, WELCOME_PAGE_PATH } from './browser-session';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { URLS } from './site-urls';
import { testId } from './test-page';
import { saveUiScreenshot } from './ui-screens';

const e2e = useE2eStack();

const PATTERNS = JSON.stringify(BUILT_IN_SITE_ORIGINS.map(matchPatternFor));
const api = '(globalThis.browser ?? globalThis.chrome).permissions';

/** The popup, once it has checked the extension's site access. */
async function checkedPopup(browser: BrowserSession) {
  const popup = await browser.newPage(browser.extensionUrl(POPUP_PAGE_PATH));
  const notice = await popup.waitFor(testId('site-access'), 'to check site access', (state) => state.data.checked === 'true');
  return { popup, notice };
}

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('with the access the install gives, the popup shows no site-access warning', async () => {
    const browser = await e2e.launch(browserName);
    await browser.waitUntilExtensionReady(URLS.modern);
    const { notice } = await checkedPopup(browser);
    expect(notice).toMatchObject({ hidden: true, data: { missing: '' } });
  }, E2E_TEST_TIMEOUT_MS);

  it('withdrawn site access opens the welcome page with the sites, the popup warns, and pages get nothing', async () => {
    const browser = await e2e.launch(browserName);
    await browser.waitUntilExtensionReady(URLS.modern);
    const options = await browser.newPage(browser.extensionUrl(OPTIONS_PAGE_PATH));

    // What about:addons (Firefox) does, from the extension's own page.
    const removed = await options.evaluate<string>(`${api}.remove({ origins: ${PATTERNS} }).then(String, (error) => 'refused: ' + error.message)`);
    if (browserName === 'chromium') {
      // Chromium will not remove hosts the manifest requires; only the person can withhold them
      // ("on click"), from browser UI that automation does not reach.
      expect(removed).toMatch(/^refused: .*required/i);
      return;
    }
    expect(removed).toBe('true');

    const welcome = await browser.extensionPage(WELCOME_PAGE_PATH);
    const notice = await welcome.waitFor(testId('site-access'), 'to list the sites', (state) => !state.hidden && state.data.missing !== undefined && state.data.missing !== '');
    expect(notice.data.missing?.split(' ')).toEqual(BUILT_IN_SITE_ORIGINS);
    for (const origin of BUILT_IN_SITE_ORIGINS) expect(notice.text).toContain(origin);
    expect(await welcome.element(testId('site-access-allow'))).toMatchObject({ hidden: false });
    await saveUiScreenshot(welcome, 'site-access-welcome', browserName);

    const { popup, notice: warning } = await checkedPopup(browser);
    expect(warning.hidden).toBe(false);
    expect(warning.data.missing?.split(' ')).toEqual(BUILT_IN_SITE_ORIGINS);
    expect(await popup.element(testId('site-access-allow'))).toMatchObject({ hidden: false });
    await saveUiScreenshot(popup, 'site-access-popup', browserName, 'body');

    // The content scripts no longer run there: the page is on its own.
    const page = await browser.newPage(URLS.modern);
    expect(await page.evaluate<string>('typeof window.nhiCard')).toBe('undefined');
  }, E2E_TEST_TIMEOUT_MS);
});
