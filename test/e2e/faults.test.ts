/**
 * The native host dying in the middle of a read, in real browsers: the host the browser started is
 * killed (SIGKILL) while the card is still working on the request. The page gets a clear error at
 * once (window.nhiCard: HOST_EXITED; the legacy socket: the component's 8013), and the next read
 * works in the same page without restarting the browser: the background starts a new host.
 */
import { describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles';
import { E2E_TEST_TIMEOUT_MS, e2eBrowsers, useE2eStack } from './harness';
import { theHostPid, waitForNoHost } from './host-process';
import { readOnce } from './page-flows';
import { settledRead, startRead } from './page-scripts';
import { URLS } from './site-urls';

const demo = fixtureProfile('demo');
const e2e = useE2eStack();

/** Long enough that the read is surely still at the card when the host is killed; no test waits it out. */
const CARD_DELAY_MS = 1500;

describe.each(e2eBrowsers())('%s', (browserName) => {
  it('host killed mid-read: readCard rejects HOST_EXITED, GetBasic answers 8013, and the next reads work', async () => {
    const { rig } = e2e.stack;
    const card = rig.card(0);
    if (card === undefined) throw new Error('the demo card should be inserted');
    const pcscSocket = rig.env.PCSCLITE_CSOCK_NAME;
    const browser = await e2e.launch(browserName);
    browser.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: false });
    const page = await browser.newPage(URLS.blank);
    // Consent and a working host first, for both kinds of read.
    expect(await readOnce(page, 'api')).toBe(`ok: ${demo.idNumber}`);
    expect(await readOnce(page, 'legacy')).toContain(demo.idNumber);

    for (const kind of ['api', 'legacy'] as const) {
      // A host that already read this card answers from its memo of it: stop the idle host, so the
      // read below starts a fresh one and goes to the card.
      process.kill(await theHostPid(pcscSocket), 'SIGTERM');
      await waitForNoHost(pcscSocket);
      const before = card.apduLog.length;
      card.setFaults({ delayMs: CARD_DELAY_MS });
      await page.evaluate(startRead(`killed-${kind}`, kind));
      await waitUntil(() => card.apduLog.length > before, 'the read to reach the card');
      const host = await theHostPid(pcscSocket);
      process.kill(host, 'SIGKILL');

      expect(await page.evaluate<string>(settledRead(`killed-${kind}`))).toBe(kind === 'api' ? 'error: HOST_EXITED' : 'error: 8013');
      await waitForNoHost(pcscSocket);
      card.setFaults({});
      const next = await readOnce(page, kind);
      expect(next).toContain(demo.idNumber);
      expect(await theHostPid(pcscSocket)).not.toBe(host);
    }
  }, E2E_TEST_TIMEOUT_MS);
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
