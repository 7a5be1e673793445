/**
 * The consent and status UI in real browsers: Allow ignores a click in the prompt's first second
 * (issue 15 finding 4), session grants are visible and revocable in the options page and the
 * popup (finding 5), a prompt names a SAM service other than the NHI's (finding 1), and the toolbar badge follows the card. Saves the README's screenshots.
 */
import { describe, expect, it } from 'vitest';
import { serviceNameOf } from '../../extension/shared/trusted-origins';
import { OPTIONS_PAGE_PATH, POPUP_PAGE_PATH } from './browser-session';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { runModernRead } from './page-flows';
import { timedLegacyRoundTrips, type TimedReplies } from './page-scripts';
import { ORIGINS, URLS } from './site-urls';
import { testId } from './test-page';
import { badgeText, eventually, saveUiScreenshot } from './ui-screens';

const e2e = useE2eStack();

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('Allow ignores a click in its first second; once armed it works', async () => {
    const browser = await e2e.launch(browserName);
    const page = await browser.newPage(URLS.modern);
    let settled = false;
    const reading = runModernRead(page).finally(() => {
      settled = true;
    });

    const prompt = await browser.nextConsent();
    expect(await prompt.origin()).toBe(ORIGINS.modern);
    expect((await prompt.page.element(testId('consent-allow')))?.data.armed).toBe('false');
    await prompt.page.clickNow(testId('consent-allow'));

    // Had that click counted, the window would have closed and the read settled before arming.
    await prompt.armed();
    expect(prompt.page.closed).toBe(false);
    expect(settled).toBe(false);
    const service = serviceNameOf(ORIGINS.modern);
    expect([service?.zhTW, service?.en]).toContain((await prompt.page.element(testId('consent-service')))?.text);
    expect((await prompt.page.element(testId('consent-lasts')))?.hidden).toBe(false);
    await saveUiScreenshot(prompt.page, 'consent', browserName, 'body');

    await prompt.answer('allow');
    expect(await reading).toMatchObject({ ok: true });
  }, E2E_TEST_TIMEOUT_MS);

  it('a prompt for H_SignIPAndPort naming a SAM service other than the NHI’s names it and offers no "remember"', async () => {
    const browser = await e2e.launch(browserName);
    const page = await browser.newPage(URLS.blank);
    const b64 = (text: string): string => Buffer.from(text, 'latin1').toString('base64');
    const line = `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64('127.0.0.1')}&PORT=${b64('8443')}`;
    const signing = page.evaluate<TimedReplies>(timedLegacyRoundTrips(1, line));

    const prompt = await browser.nextConsent();
    const endpoint = await prompt.page.element(testId('consent-sam-endpoint'));
    expect(endpoint?.hidden).toBe(false);
    expect(endpoint?.text).toContain('127.0.0.1:8443');
    expect((await prompt.page.element(testId('consent-remember')))?.hidden).toBe(true);
    await prompt.answer('deny');
    expect((await signing).replies).toEqual(['8013']);
  }, E2E_TEST_TIMEOUT_MS);

  it('session grants appear in the options page and the popup, and can be revoked', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.modern);
    expect(await runModernRead(page)).toMatchObject({ ok: true });
    expect(browser.consentWindowsOpened).toBe(1);

    const popup = await browser.newPage(browser.extensionUrl(POPUP_PAGE_PATH));
    await popup.waitFor('[data-testid="session-grant"]', 'to list the site', (state) => state.data.origin === ORIGINS.modern);
    await popup.waitFor('.status-row:last-child', 'to show the holder', (state) => !state.text.endsWith('…'));
    await saveUiScreenshot(popup, 'popup', browserName, 'body');

    const options = await browser.newPage(browser.extensionUrl(OPTIONS_PAGE_PATH));
    await options.waitFor('[data-testid="session-grant"]', 'to list the site', (state) => state.data.origin === ORIGINS.modern);
    await options.waitFor(testId('check-test-read'), 'to finish', (state) => state.data.status !== undefined);
    await saveUiScreenshot(options, 'options', browserName);

    await options.click(testId('revoke-session-grant'));
    await options.waitFor(testId('no-session-grants'), 'to say none are left', () => true);

    // Revoked: the site is asked again.
    await page.goto(URLS.modern);
    expect(await runModernRead(page)).toMatchObject({ ok: true });
    expect(browser.consentWindowsOpened).toBe(2);
  }, E2E_TEST_TIMEOUT_MS);

  it('the toolbar badge follows the card as it is pulled and put back', async () => {
    const { rig } = e2e.stack;
    const browser = await e2e.launch(browserName);
    const options = await browser.newPage(browser.extensionUrl(OPTIONS_PAGE_PATH));

    await eventually(() => badgeText(options), (text) => text === '✓', 'the badge to say "card ready"');
    await rig.removeCard(0);
    await eventually(() => badgeText(options), (text) => text === '–', 'the badge to say "no card"');
    await rig.insertCard(0, 'demo');
    await eventually(() => badgeText(options), (text) => text === '✓', 'the badge to say "card ready" again');
  }, E2E_TEST_TIMEOUT_MS);
});
