/**
 * The card coming and going, in real browsers: no card at all, the card pulled in the middle of
 * a legacy flow and put back, reads answered from memory ending when the card goes, and live
 * insert/remove events on a window.nhiCard page.
 */
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { hostSeesCard, readOnce, runForgotPassword, runModernRead } from './page-flows';
import { URLS } from './site-urls';
import { testId } from './test-page';

const demo = fixtureProfile('demo');
const e2e = useE2eStack();

/** READ BASIC DATA (`00 CA 11 00`), as the virtual card logs commands (hex, spaces optional). */
const READ_BASIC = /^00 ?CA ?11 ?00/i;

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('no card: the legacy page shows its own "insert your card" error, code 7004', async () => {
    await e2e.stack.rig.removeCard(0);
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.forgotPassword);

    const result = await runForgotPassword(page);

    expect(result).toMatchObject({ ok: false, code: '7004' });
    expect(result.text).toContain('請插入健保卡');
    expect((await e2e.stack.site.records()).mails).toEqual([]);
  }, E2E_TEST_TIMEOUT_MS);

  it('no card: window.nhiCard says so in status() and rejects readCard() with NO_CARD', async () => {
    await e2e.stack.rig.removeCard(0);
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.modern);
    await page.waitFor(testId('card-state'), 'to say no card', (state) => state.data.present === 'false');

    expect(await runModernRead(page)).toMatchObject({ ok: false, code: 'NO_CARD' });
  }, E2E_TEST_TIMEOUT_MS);

  it('card pulled mid-flow: the page reports the failure; re-inserted, the next try succeeds', async () => {
    const { rig } = e2e.stack;
    const browser = await e2e.launch(browserName);
    const page = await browser.newPage(URLS.forgotPassword);
    // A second tab with the window.nhiCard page shows what the host sees, as a person would look at the reader.
    const observer = await browser.newPage(URLS.modern);
    await hostSeesCard(observer, true);
    const card = rig.card(0);
    if (card === undefined) throw new Error('the demo card should be inserted');

    const firstTry = runForgotPassword(page);
    await (await browser.nextConsent()).answer('allow');
    // Once the basic data has been read, the card disappears with the next command it gets (H_Sign's).
    const deadline = performance.now() + 15_000;
    while (!card.apduLog.some((entry) => READ_BASIC.test(entry.command) && entry.response !== undefined)) {
      if (performance.now() > deadline) throw new Error('the page never read the basic data');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    card.setFaults({ removeAfterApdus: 0 });
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });

    const failed = await firstTry;
    // The card vanished during H_Sign's exchange: "cannot access the card".
    expect(failed).toMatchObject({ ok: false, code: '8013' });
    expect((await e2e.stack.site.records()).mails).toEqual([]);

    await rig.removeCard(0);
    await hostSeesCard(observer, false);
    await rig.insertCard(0, 'demo');
    await hostSeesCard(observer, true);
    const secondTry = await runForgotPassword(page);
    expect(secondTry).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    expect((await e2e.stack.site.records()).mails).toHaveLength(1);
  }, E2E_TEST_TIMEOUT_MS);

  it('repeated reads are answered without the card until the host sees it go; a swapped card is read anew', async () => {
    const { rig } = e2e.stack;
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const observer = await browser.newPage(URLS.modern);
    await hostSeesCard(observer, true);
    const page = await browser.newPage(URLS.blank);
    const card = rig.card(0);
    if (card === undefined) throw new Error('the demo card should be inserted');
    for (let round = 0; round < 3; round++) {
      expect(await readOnce(page, 'api')).toBe(`ok: ${demo.idNumber}`);
      expect(await readOnce(page, 'legacy')).toContain(demo.idNumber);
    }
    const apdus = card.apduLog.length;
    expect(await readOnce(page, 'api')).toBe(`ok: ${demo.idNumber}`);
    expect(await readOnce(page, 'legacy')).toContain(demo.idNumber);
    expect(card.apduLog.length, 'reads of a card already read reach no card').toBe(apdus);

    await rig.removeCard(0);
    await hostSeesCard(observer, false);
    expect(await readOnce(page, 'api')).toBe('error: NO_CARD');
    expect(await readOnce(page, 'legacy')).toMatch(/^error: \d+$/u);

    const other = fixtureProfile('eten-name');
    const swapped = await rig.insertCard(0, 'eten-name');
    await hostSeesCard(observer, true);
    expect(await readOnce(page, 'api')).toBe(`ok: ${other.idNumber}`);
    expect(await readOnce(page, 'legacy')).toContain(other.idNumber);
    expect(swapped.apduLog.length).toBeGreaterThan(0);
  }, E2E_TEST_TIMEOUT_MS);

  it('window.nhiCard: live card-removed and card-inserted events (before consent: without the reader name), then a read', async () => {
    const { rig } = e2e.stack;
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.modern);
    await page.waitFor(testId('card-state'), 'to show the card', (state) => state.data.present === 'true');
    const reader = rig.readerNames[0] ?? '';

    await rig.removeCard(0);
    // Before consent a page learns that a card came or went, not which reader (docs/page-api.md).
    const removed = await page.waitFor('[data-testid="event"][data-type="card-removed"]', 'to appear', (state) => state.text.startsWith('card-removed'));
    expect(reader).not.toBe('');
    expect(removed.text).not.toContain(reader);
    await page.waitFor(testId('card-state'), 'to say no card', (state) => state.data.present === 'false');

    await rig.insertCard(0, 'demo');
    const inserted = await page.waitFor('[data-testid="event"][data-type="card-inserted"]', 'to appear', (state) => state.text.startsWith('card-inserted'));
    expect(inserted.text).not.toContain(reader);
    await page.waitFor(testId('card-state'), 'to show the card', (state) => state.data.present === 'true');

    expect(await runModernRead(page)).toEqual({ ok: true, text: expect.stringContaining(demo.name) as unknown });
    expect(await page.element(testId('birth-date'))).toMatchObject({ text: '1991-01-01' });
  }, E2E_TEST_TIMEOUT_MS);
});

