/**
 * Pages that must get nothing: an untrusted site, a trusted name over plain HTTP, a sandboxed
 * frame inside a trusted page, and a trusted page framed by an untrusted site. Each tries window.nhiCard and the component's WebSocket; neither
 * may reach the card, and no consent window may open.
 */
import { describe, expect, it } from 'vitest';
import { EVIL_HOST, NHI_HOST } from '../site/site-hosts';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack, type BrowserSession } from './harness';
import { probeResult } from './page-flows';
import { ORIGINS, URLS } from './site-urls';

const e2e = useE2eStack();

/** Runs `probe` and checks that the card saw no command and no consent window opened meanwhile. */
async function withoutCardAccess<T>(browser: BrowserSession, probe: () => Promise<T>): Promise<T> {
  const card = e2e.stack.rig.card(0);
  const before = card?.apduLog.length ?? 0;
  const result = await probe();
  expect(card?.apduLog.length ?? 0).toBe(before);
  expect(browser.consentWindowsOpened).toBe(0);
  return result;
}

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('an untrusted site gets no window.nhiCard and the real WebSocket fails', async () => {
    const browser = await e2e.launch(browserName);
    const result = await withoutCardAccess(browser, async () => probeResult(await browser.newPage(URLS.evil), 'probe-result'));

    expect(result).toMatchObject({ origin: `https://${EVIL_HOST}`, nhiCard: 'absent', cardData: false });
    expect(result.socket).toMatchObject({ outcome: 'error', closeCode: 1006, replies: [] });
  }, E2E_TEST_TIMEOUT_MS);

  it('a trusted name over plain HTTP gets no window.nhiCard and the real WebSocket fails', async () => {
    const browser = await e2e.launch(browserName);
    const result = await withoutCardAccess(browser, async () => probeResult(await browser.newPage(URLS.insecureProbe), 'probe-result'));

    expect(result).toMatchObject({ origin: `http://${NHI_HOST}`, secureContext: false, nhiCard: 'absent', cardData: false });
    expect(result.socket).toMatchObject({ outcome: 'error', closeCode: 1006, replies: [] });
  }, E2E_TEST_TIMEOUT_MS);

  it('a sandboxed frame on a trusted origin gets nothing', async () => {
    const browser = await e2e.launch(browserName);
    const result = await withoutCardAccess(browser, async () => probeResult(await browser.newPage(URLS.sandboxedFrame), 'frame-result'));

    expect(result).toMatchObject({ origin: 'null', cardData: false });
    expect(result.socket).toMatchObject({ outcome: 'error', closeCode: 1006, replies: [] });
    // The extension's scripts match the frame's URL, so today they install a shim that refuses
    // (which also keeps the frame away from an official component that accepts Origin null);
    // either that or no window.nhiCard at all is acceptable, never anything that reads the card.
    expect(['absent', 'ORIGIN_NOT_ALLOWED']).toContain(result.nhiCard);
  }, E2E_TEST_TIMEOUT_MS);

  it('a trusted page framed by an untrusted site gets nothing', async () => {
    const browser = await e2e.launch(browserName);
    const result = await withoutCardAccess(browser, async () => probeResult(await browser.newPage(URLS.evilFramingTrusted), 'frame-result'));

    // The frame is the trusted page itself, with our scripts in it; only its top-level page is untrusted.
    expect(result).toMatchObject({ origin: ORIGINS.nhi, secureContext: true, nhiCard: 'ORIGIN_NOT_ALLOWED', cardData: false });
    expect(result.socket).toMatchObject({ outcome: 'error', closeCode: 1006, replies: [] });
  }, E2E_TEST_TIMEOUT_MS);
});
