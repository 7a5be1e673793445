/**
 * The consent prompt in real browsers: it names the site, allow lets the page through for this
 * browser session, deny gives the page its own error path and the site nothing, a page looping on
 * reads after a deny gets no second window, a second tab waits on the open prompt, and a remembered decision survives a browser restart
 * without another window.
 */
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { readOnce, runForgotPassword, runModernRead } from './page-flows';
import { startRead, settledRead } from './page-scripts';
import { ORIGINS, URLS } from './site-urls';

const demo = fixtureProfile('demo');
const e2e = useE2eStack();

/** Reads a spamming page makes one after another (measured before the fix: one window each). */
const SPAM_READS = 30;
/** How long a second tab's read gets to open a window of its own, if it could. */
const SECOND_PROMPT_WAIT_MS = 1_500;

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('asks before card data leaves, naming the exact origin; allow lasts for the browser session only', async () => {
    const browser = await e2e.launch(browserName);
    const page = await browser.newPage(URLS.modern);
    const reading = runModernRead(page);

    const prompt = await browser.nextConsent();
    expect(await prompt.origin()).toBe(ORIGINS.modern);
    expect((await prompt.fields()).length).toBeGreaterThanOrEqual(5);
    await prompt.answer('allow');
    expect(await reading).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });

    // Same session: no second window.
    await page.goto(URLS.modern);
    expect(await runModernRead(page)).toMatchObject({ ok: true });
    expect(browser.consentWindowsOpened).toBe(1);

    // After a restart an unremembered "allow" is gone: the site is asked again.
    const restarted = await e2e.relaunch(browser);
    const again = await restarted.newPage(URLS.modern);
    const rereading = runModernRead(again);
    const secondPrompt = await restarted.nextConsent();
    await secondPrompt.answer('allow');
    expect(await rereading).toMatchObject({ ok: true });
  }, E2E_TEST_TIMEOUT_MS);

  it('deny: the legacy page takes its own error path and its server gets nothing', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'deny', remember: false });
    const page = await browser.newPage(URLS.forgotPassword);

    const result = await runForgotPassword(page);

    // Pages know only the component's codes: a refusal reads as "cannot access the card".
    expect(result).toMatchObject({ ok: false, code: '8013' });
    await browser.settleConsents();
    expect(browser.consents).toEqual([expect.objectContaining({ origin: ORIGINS.nhi, choice: 'deny' })]);
    expect(await e2e.stack.site.records()).toEqual({ mails: [], logins: [], refusals: [] });
  }, E2E_TEST_TIMEOUT_MS);

  it('deny: window.nhiCard rejects with CONSENT_DENIED', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'deny', remember: false });
    const page = await browser.newPage(URLS.modern);

    expect(await runModernRead(page)).toMatchObject({ ok: false, code: 'CONSENT_DENIED' });
  }, E2E_TEST_TIMEOUT_MS);

  it('a page looping on reads after one deny opens exactly one window; its other tabs are refused at once too', async () => {
    const browser = await e2e.launch(browserName);
    // Every window is denied the moment it opens: the old behaviour opened one per read.
    browser.setConsentPolicy({ kind: 'auto', choice: 'deny', remember: false });
    const page = await browser.newPage(URLS.modern);

    const codes = await page.evaluate<string[]>(`(async () => {
      const codes = [];
      for (let round = 0; round < ${SPAM_READS}; round++) {
        try { await window.nhiCard.readCard(); codes.push('ok'); } catch (error) { codes.push(String(error.code)); }
      }
      return codes;
    })()`);
    const otherTab = await browser.newPage(URLS.modern);
    const fromOtherTab = [await readOnce(otherTab, 'api'), await readOnce(otherTab, 'legacy')];
    await browser.settleConsents();

    expect(codes).toEqual(Array.from({ length: SPAM_READS }, () => 'CONSENT_DENIED'));
    expect(fromOtherTab).toEqual(['error: CONSENT_DENIED', 'error: 8013']);
    expect(browser.consentWindowsOpened).toBe(1);
  }, E2E_TEST_TIMEOUT_MS);

  it('one prompt per site at a time: a second tab reading while the prompt is open waits on it', async () => {
    const browser = await e2e.launch(browserName);
    // Both tabs open before the prompt: a tab opened later would take the focus from it, and Allow arms only in a focused window.
    const first = await browser.newPage(URLS.modern);
    const second = await browser.newPage(URLS.modern);
    await first.evaluate(startRead('first', 'api'));
    const prompt = await browser.nextConsent();
    await second.evaluate(startRead('second', 'api'));
    // Long enough for the second tab's request to reach the background and, before the fix, open a window.
    await new Promise((resolve) => setTimeout(resolve, SECOND_PROMPT_WAIT_MS));
    expect(browser.consentWindowsOpened).toBe(1);

    await prompt.answer('allow');
    expect([await first.evaluate<string>(settledRead('first')), await second.evaluate<string>(settledRead('second'))]).toEqual([
      `ok: ${demo.idNumber}`,
      `ok: ${demo.idNumber}`,
    ]);
    expect(browser.consentWindowsOpened).toBe(1);
  }, E2E_TEST_TIMEOUT_MS);

  it('remember: no consent window next time, even after a browser restart', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: true });
    const page = await browser.newPage(URLS.forgotPassword);
    expect(await runForgotPassword(page)).toMatchObject({ ok: true });
    await browser.settleConsents();
    const asked = browser.consentWindowsOpened;
    expect(asked).toBeGreaterThan(0);

    const restarted = await e2e.relaunch(browser);
    // Any window now would be a failure: manual policy leaves it unanswered and the flow stuck.
    const again = await restarted.newPage(URLS.forgotPassword);
    expect(await runForgotPassword(again)).toMatchObject({ ok: true });
    expect(restarted.consentWindowsOpened).toBe(0);
    expect((await e2e.stack.site.records()).mails).toHaveLength(2);
  }, E2E_TEST_TIMEOUT_MS);

  it('remembered deny: the page fails at once, with no window', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'deny', remember: true });
    const page = await browser.newPage(URLS.modern);
    expect(await runModernRead(page)).toMatchObject({ ok: false, code: 'CONSENT_DENIED' });
    await browser.settleConsents();

    browser.setConsentPolicy({ kind: 'manual' });
    await page.goto(URLS.modern);
    expect(await runModernRead(page)).toMatchObject({ ok: false, code: 'CONSENT_DENIED' });
    expect(browser.consentWindowsOpened).toBe(1);
  }, E2E_TEST_TIMEOUT_MS);
});
