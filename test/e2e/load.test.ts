/**
 * Many tabs reading at once: 10 tabs on a trusted origin, each firing 20 reads at the same moment
 * (GetBasic through the legacy shim and window.nhiCard.readCard(), mixed). Every read must return
 * the card's data, and the card must see one exchange at a time: each SELECT immediately followed
 * by its READ BASIC, never another tab's command in between.
 */
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { concurrentReads, type BurstResult } from './page-scripts';
import { URLS } from './site-urls';
import type { TestPage } from './test-page';

const demo = fixtureProfile('demo');
const e2e = useE2eStack();

const TABS = 10;
/** Per tab: 5 sockets x 2 GetBasic frames + 10 readCard() = 20 reads, at most 15 in flight (the per-frame cap is 16). */
const SOCKETS = 5;
const FRAMES_PER_SOCKET = 2;
const API_CALLS = 10;

const SELECT = /^00 ?A4 ?04 ?00/i;
const READ_BASIC = /^00 ?CA ?11 ?00/i;

describe.each(e2eBrowsers())('%s', (browserName) => {
  it(`serves ${TABS} tabs x ${SOCKETS * FRAMES_PER_SOCKET + API_CALLS} concurrent reads, correct and never interleaved on the card`, async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const tabs: TestPage[] = [];
    for (let tab = 0; tab < TABS; tab++) tabs.push(await browser.newPage(`${URLS.blank}?tab=${tab}`));
    // Consent first (one prompt per kind of read), so the burst measures reads, not prompts.
    await tabs[0]?.evaluate(concurrentReads(1, 1, 1));
    await browser.settleConsents();
    const card = e2e.stack.rig.card(0);
    if (card === undefined) throw new Error('the demo card should be inserted');
    const before = card.apduLog.length;

    const bursts = await Promise.all(tabs.map((tab) => tab.evaluate<BurstResult>(concurrentReads(SOCKETS, FRAMES_PER_SOCKET, API_CALLS))));

    for (const burst of bursts) {
      expect(burst.legacy).toHaveLength(SOCKETS * FRAMES_PER_SOCKET);
      for (const reply of burst.legacy) expect(reply).toContain(demo.idNumber);
      expect(burst.api).toEqual(Array.from({ length: API_CALLS }, () => demo.idNumber));
    }
    const log = card.apduLog.slice(before);
    const selects = log.filter((entry) => SELECT.test(entry.command)).length;
    // The host may serve waiting reads together, but every read that reached the card was whole.
    expect(selects).toBeGreaterThan(0);
    for (const [index, entry] of log.entries()) {
      // The last entry may be an exchange that is still starting (nothing a page waits for); every
      // other SELECT must be followed by its own READ BASIC, never by another read's command.
      const next = log[index + 1];
      if (SELECT.test(entry.command) && next !== undefined) expect(next.command, `APDU ${before + index + 1} after a SELECT`).toMatch(READ_BASIC);
      const previous = log[index - 1];
      if (previous?.answeredAt !== undefined) expect(entry.at).toBeGreaterThanOrEqual(previous.answeredAt);
    }
    expect(browser.consentWindowsOpened).toBeLessThanOrEqual(2);
  }, E2E_TEST_TIMEOUT_MS);
});
