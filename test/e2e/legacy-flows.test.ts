/**
 * Government pages written for the official NHIICC component, unmodified, in real browsers with
 * our extension: the NHI 忘記註冊密碼 flow and the eCPA card login, end to end to their back ends,
 * and two tabs reading at once.
 */
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { maskEmail, SITE_ACCOUNTS } from '../site/site-accounts';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { runEcpaLogin, runForgotPassword, startEcpaLogin, startForgotPassword } from './page-flows';
import { ORIGINS, URLS } from './site-urls';

const demo = fixtureProfile('demo');
const demoAccount = SITE_ACCOUNTS[0];
if (demoAccount?.profile !== 'demo') throw new Error('the first site account must be the demo card holder');
const e2e = useE2eStack();

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('runs 忘記註冊密碼 to the end: card read, signature checked by the site, reset mail sent', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.forgotPassword);

    const result = await runForgotPassword(page);

    expect(result).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    expect(result.text).toContain(maskEmail(demoAccount.email));
    await browser.settleConsents();
    // One prompt for the whole flow (GetBasic, then H_Sign), naming the page's exact origin.
    expect(browser.consents.map((consent) => consent.origin)).toEqual([ORIGINS.nhi]);
    const records = await e2e.stack.site.records();
    expect(records.mails).toEqual([expect.objectContaining({ to: demoAccount.email, kind: 'password-reset' })]);
    expect(records.refusals).toEqual([]);
    expect(e2e.stack.sam.log.map((event) => event.event)).toContain('card-accepted');
  }, E2E_TEST_TIMEOUT_MS);

  it('logs in to eCPA with the registration password (EnCrypt) and the card (H_Sign)', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.ecpaLogin);

    const result = await runEcpaLogin(page, demoAccount.registrationPassword);

    expect(result).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    const records = await e2e.stack.site.records();
    expect(records.logins).toEqual([expect.objectContaining({ site: 'ecpa', idNumber: demo.idNumber })]);
    expect(records.refusals).toEqual([]);
    await browser.settleConsents();
    // One prompt for the whole login (EnCrypt, then H_Sign).
    expect(browser.consents.map((consent) => consent.origin)).toEqual([ORIGINS.ecpa]);
  }, E2E_TEST_TIMEOUT_MS);

  it('refuses an eCPA login with the wrong registration password', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.ecpaLogin);

    const result = await runEcpaLogin(page, 'Wrong-999');

    expect(result).toMatchObject({ ok: false, code: 'HTTP401' });
    const records = await e2e.stack.site.records();
    expect(records.logins).toEqual([]);
    expect(records.refusals).toEqual([{ route: 'ecpa-login', reason: 'wrong password' }]);
  }, E2E_TEST_TIMEOUT_MS);

  it('serves two tabs reading at the same time', async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const first = await browser.newPage(URLS.forgotPassword);
    const second = await browser.newPage(URLS.ecpaLogin);

    // Both buttons pressed back to back; the two reads then run at the same time.
    const resetting = await startForgotPassword(first);
    const loggingIn = await startEcpaLogin(second, demoAccount.registrationPassword);
    const [reset, login] = await Promise.all([resetting.done, loggingIn.done]);

    expect(reset).toMatchObject({ ok: true });
    expect(login).toMatchObject({ ok: true });
    const records = await e2e.stack.site.records();
    expect(records.mails).toHaveLength(1);
    expect(records.logins).toHaveLength(1);
    expect(records.refusals).toEqual([]);
    // The card answered one exchange at a time: no APDU was sent before the previous one was answered.
    const log = e2e.stack.rig.card(0)?.apduLog ?? [];
    for (const [index, entry] of log.entries()) {
      const previous = log[index - 1];
      if (previous?.answeredAt !== undefined) expect(entry.at).toBeGreaterThanOrEqual(previous.answeredAt);
    }
  }, E2E_TEST_TIMEOUT_MS);
});
