/**
 * Many tabs reading at once: 10 tabs on a trusted origin, each firing 20 requests at the same
 * moment through the legacy shim and window.nhiCard. GetBasic and readCard() are answered from
 * the host's memo of the inserted card after its first read; EnCrypt goes to the card every time
 * (SELECT + READ CARD ID). Every request must be answered correctly, and the card must see one
 * exchange at a time: each SELECT immediately followed by its own read, never another tab's command.
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
/** Per tab: 5 sockets x (GetBasic + EnCrypt) + 10 readCard() = 20 requests, at most 15 in flight (the per-frame cap is 16). */
const SOCKETS = 5;
const FRAMES = ['GetBasic', 'EnCrypt?Pwd=abc123'] as const;
const API_CALLS = 10;

const SELECT = /^00 ?A4 ?04 ?00/i;
const READ_BASIC = /^00 ?CA ?11 ?00/i;
const READ_CARD_ID = /^00 ?CA ?00 ?00/i;

describe.each(e2eBrowsers())('%s', (browserName) => {
  it(`serves ${TABS} tabs x ${SOCKETS * FRAMES.length + API_CALLS} concurrent requests, correct and never interleaved on the card`, async () => {
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const tabs: TestPage[] = [];
    for (let tab = 0; tab < TABS; tab++) tabs.push(await browser.newPage(`${URLS.blank}?tab=${tab}`));
    // Consent first (one prompt per kind of read), so the burst measures reads, not prompts.
    await tabs[0]?.evaluate(concurrentReads(1, ['GetBasic'], 1));
    await browser.settleConsents();
    const card = e2e.stack.rig.card(0);
    if (card === undefined) throw new Error('the demo card should be inserted');
    const before = card.apduLog.length;

    const bursts = await Promise.all(tabs.map((tab) => tab.evaluate<BurstResult>(concurrentReads(SOCKETS, FRAMES, API_CALLS))));

    for (const burst of bursts) {
      expect(burst.legacy).toHaveLength(SOCKETS * FRAMES.length);
      for (const [index, reply] of burst.legacy.entries()) {
        if (index % 2 === 0) expect(reply).toContain(demo.idNumber);
        else expect(reply).toMatch(/^EnCrypt:[0-9A-F]{32}$/u);
      }
      expect(burst.api).toEqual(Array.from({ length: API_CALLS }, () => demo.idNumber));
    }
    const log = card.apduLog.slice(before);
    // Every EnCrypt reached the card, whole; the identity reads were answered from the memo.
    expect(log.filter((entry) => READ_CARD_ID.test(entry.command))).toHaveLength(TABS * SOCKETS);
    expect(log.filter((entry) => READ_BASIC.test(entry.command))).toHaveLength(0);
    for (const [index, entry] of log.entries()) {
      // Every SELECT is followed by its own read, never by another request's command.
      const next = log[index + 1];
      if (SELECT.test(entry.command)) expect(next?.command, `APDU ${before + index + 1} after a SELECT`).toMatch(READ_CARD_ID);
      const previous = log[index - 1];
      if (previous?.answeredAt !== undefined) expect(entry.at).toBeGreaterThanOrEqual(previous.answeredAt);
    }
    expect(browser.consentWindowsOpened).toBeLessThanOrEqual(2);
  }, E2E_TEST_TIMEOUT_MS);
});
