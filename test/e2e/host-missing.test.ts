/**
 * The native host not installed for this browser: pages get a clear error (the legacy page its
 * own "component not available" path, window.nhiCard a HOST_NOT_FOUND naming the fix), the
 * diagnostics page says what to do, and a page with the installer opens by itself and notices
 * when the host has been installed.
 */
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { debianPackageFileName } from '../../extension/shared/installers';
import { OPTIONS_PAGE_PATH, WELCOME_PAGE_PATH } from './browser-session';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { runForgotPassword, runModernRead } from './page-flows';
import { URLS } from './site-urls';
import { testId } from './test-page';
import { badgeText, eventually, saveUiScreenshot } from './ui-screens';

const e2e = useE2eStack();

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('the legacy page takes its "component not available" path', async () => {
    const browser = await e2e.launch(browserName, { registerHost: false });
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.forgotPassword);

    // The socket fails like a component that is not running; the page retries once, then says so.
    expect(await runForgotPassword(page)).toMatchObject({ ok: false, code: 'NO_COMPONENT' });
    expect(browser.consentWindowsOpened).toBe(0);
  }, E2E_TEST_TIMEOUT_MS);

  it('window.nhiCard reports HOST_NOT_FOUND with the fix in its message', async () => {
    const browser = await e2e.launch(browserName, { registerHost: false });
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.modern);
    await page.waitFor(testId('availability'), 'to report the host', (state) => state.data.host !== undefined);
    expect((await page.element(testId('availability')))?.data.host).toBe('HOST_NOT_FOUND');

    const result = await runModernRead(page);

    expect(result).toMatchObject({ ok: false, code: 'HOST_NOT_FOUND' });
    expect(result.ok ? '' : result.text).toContain('nhi-card install');
    // Nobody is asked to allow a read that cannot happen.
    expect(browser.consentWindowsOpened).toBe(0);
  }, E2E_TEST_TIMEOUT_MS);

  it('the diagnostics page names the failed step and the fix', async () => {
    const browser = await e2e.launch(browserName, { registerHost: false });
    const options = await browser.newPage(browser.extensionUrl(OPTIONS_PAGE_PATH));

    const check = await options.waitFor(testId('check-host-registered'), 'to fail', (state) => state.data.status === 'fail');
    expect(check.text).toContain('nhi-card install');
    // Later steps cannot pass without the host: they are skipped, not reported as failures.
    expect(await options.element(testId('check-test-read'))).toMatchObject({ data: { status: 'skip' } });
  }, E2E_TEST_TIMEOUT_MS);

  it('a page with the installer opens by itself, and says ready once the host is installed', async () => {
    const browser = await e2e.launch(browserName, { registerHost: false });
    const welcome = await browser.extensionPage(WELCOME_PAGE_PATH);

    await welcome.waitFor(testId('host-state'), 'to say the host is missing', (state) => state.data.state === 'missing');
    // This machine is Linux: the Debian package comes first, named as the packaging names it.
    expect((await welcome.element(testId('install')))?.text).toContain(debianPackageFileName(packageJson.version, process.arch === 'arm64' ? 'arm64' : 'amd64'));
    expect(await badgeText(welcome)).toBe('!');
    await saveUiScreenshot(welcome, 'host-missing', browserName);

    await e2e.installHost(browser);

    // Nobody clicks anything: the page checks again by itself.
    await welcome.waitFor(testId('host-state'), 'to say the host is ready', (state) => state.data.state === 'ready');
    await eventually(() => badgeText(welcome), (text) => text === '✓', 'the badge to say "card ready"');
    expect(browser.consentWindowsOpened).toBe(0);
  }, E2E_TEST_TIMEOUT_MS);
});
