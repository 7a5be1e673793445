/**
 * `scripts/start` (after its builds): the NHI Card Bridge demo, step by step.
 *
 *   1. Read the card with the built `nhi-card` CLI: a real reader when the system pcscd has one
 *      with a card in it, else the virtual demo card on a private pcscd.
 *   2. Start the SAM service simulator and the replica government sites.
 *   3. Open Chromium with the extension (headed when $DISPLAY is set, else headless).
 *   4. Run 忘記註冊密碼 on https://cloudicweb.nhi.gov.tw as a person would: press 讀取, allow the
 *      consent prompt(s), and see the reset mail go out. (With a real card, which only the real NHI
 *      SAM service can authenticate, the demo reads it through window.nhiCard instead.)
 *   5. Save screenshots, clean everything up.
 *
 * Options: --screenshot-dir DIR (default test-results/demo), --headless / --headed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { NATIVE_HOST_NAME } from '../../native-host/protocol/extension-ids';
import type { BrowserSession } from '../../test/e2e/browser-session';
import { CHROMIUM_EXTENSION_DIR } from '../../test/e2e/chromium-session';
import { launchBrowser } from '../../test/e2e/launch-browser';
import { runForgotPassword, runModernRead, type FlowOutcome } from '../../test/e2e/page-flows';
import { URLS } from '../../test/e2e/site-urls';
import type { TestPage } from '../../test/e2e/test-page';
import { startRig, type Rig } from '../../test/rig/rig';
import { startSamSimulator, type SamSimulator } from '../../test/sim/sam/sam-simulator';
import { startSite, type Site } from '../../test/site/site-server';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const nhiCard = join(ROOT, 'dist', 'native-host', 'nhi-card');

const { values: flags } = parseArgs({
  options: {
    'screenshot-dir': { type: 'string', default: join(ROOT, 'test-results', 'demo') },
    headless: { type: 'boolean' },
    headed: { type: 'boolean' },
  },
});
const screenshotDir = resolve(flags['screenshot-dir']);
const headless = flags.headless === true || (flags.headed !== true && (process.env.DISPLAY ?? '') === '');

let stepNumber = 0;
function step(title: string): void {
  stepNumber += 1;
  console.log(`\n[${stepNumber}] ${title}`);
}
function result(text: string): void {
  console.log(`    ${text}`);
}

/** True when the system's own pcscd reports a reader with a card in it. */
async function realCardPresent(): Promise<boolean> {
  try {
    const { stdout } = await run(nhiCard, ['readers', '--json'], { timeout: 10_000 });
    const { readers } = JSON.parse(stdout) as { readers: { cardPresent: boolean }[] };
    return readers.some((reader) => reader.cardPresent);
  } catch {
    return false;
  }
}

async function readWithCli(env: NodeJS.ProcessEnv): Promise<void> {
  const { stdout } = await run(nhiCard, ['read'], { env, timeout: 30_000 });
  process.stdout.write(stdout.replace(/^/gm, '    '));
}

/** Runs `flow` and answers every consent window it opens, screenshotting the first. */
async function withConsent(browser: BrowserSession, flow: Promise<FlowOutcome>): Promise<FlowOutcome> {
  const stop = new AbortController();
  const finished = flow.finally(() => {
    stop.abort();
  });
  let prompts = 0;
  for (;;) {
    const prompt = await browser.nextConsent(60_000, stop.signal).catch(() => undefined);
    if (prompt === undefined) break;
    prompts += 1;
    const origin = await prompt.origin();
    const fields = await prompt.fields();
    result(`consent window ${prompts}: ${origin} asks for ${fields.join(', ')}`);
    if (prompts === 1) await shoot(prompt.page, 'consent.png');
    // Headed, leave the window up long enough to be seen.
    if (!headless) await new Promise((resolve) => setTimeout(resolve, 1500));
    await prompt.answer('allow');
    result(`consent window ${prompts}: allowed`);
  }
  return finished;
}

async function shoot(page: TestPage, name: string): Promise<void> {
  const path = join(screenshotDir, name);
  await page.screenshot(path);
  result(`screenshot: ${relative(process.cwd(), path)}`);
}

function describeOutcome(outcome: FlowOutcome, mask: boolean): string {
  if (!outcome.ok) return `FAILED: ${outcome.text} [${outcome.code}]`;
  return mask ? 'OK (card holder read; details not printed for a real card)' : `OK: ${outcome.text.replace(/\s+/g, ' ')}`;
}

async function main(): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    step('Read the NHI card with the nhi-card CLI');
    const real = await realCardPresent();
    let rig: Rig | undefined;
    if (real) {
      result('using the real reader and card found on this machine');
      await readWithCli(process.env);
    } else {
      result('no real reader with a card: starting a private pcscd with the virtual demo card');
      rig = await startRig({ readers: 2 });
      const started = rig;
      cleanups.push(() => started.close());
      await rig.insertCard(0, 'demo');
      await readWithCli({ ...process.env, ...rig.env });
    }

    step('Start the NHI SAM service simulator and the replica government sites');
    const sam: SamSimulator = await startSamSimulator();
    cleanups.push(() => sam.close());
    const site: Site = await startSite({ verifySignature: (input) => sam.verifySignature(input) });
    cleanups.push(() => site.close());
    result(`SAM simulator on ${sam.host}:${sam.port}; sites on 127.0.0.1:${site.ports[0] ?? 0} (cloudicweb.nhi.gov.tw, ecpa.dgpa.gov.tw, ...)`);

    step(`Open Chromium (${headless ? 'headless' : 'headed'}) with the extension from ${relative(process.cwd(), CHROMIUM_EXTENSION_DIR)}`);
    await mkdir(screenshotDir, { recursive: true });
    const runDir = await mkdtemp(join(tmpdir(), 'nhi-demo-'));
    cleanups.push(() => rm(runDir, { recursive: true, force: true }));
    const hostEnv: Record<string, string> = { NHI_CARD_SAM_ENDPOINT: `${sam.host}:${sam.port}`, ...(rig?.env ?? {}) };
    const browser = await launchBrowser('chromium', { sitePort: site.ports[0] ?? 0, hostEnv }, { runDir, extensionDir: CHROMIUM_EXTENSION_DIR, headless });
    cleanups.push(() => browser.close());
    result(`extension loaded and serving trusted pages; native host ${NATIVE_HOST_NAME} registered for this profile by nhi-card install`);

    let outcome: FlowOutcome;
    let page: TestPage;
    if (real) {
      step('Read the real card on a page using window.nhiCard (only the real NHI SAM service can authenticate a real card)');
      page = await browser.newPage(URLS.modern);
      outcome = await withConsent(browser, runModernRead(page));
    } else {
      step(`Run 忘記註冊密碼 on ${URLS.forgotPassword}: press 讀取`);
      page = await browser.newPage(URLS.forgotPassword);
      outcome = await withConsent(browser, runForgotPassword(page));
    }
    result(describeOutcome(outcome, real));
    await shoot(page, real ? 'window-nhicard.png' : 'forgot-password.png');

    if (!real) {
      const records = await site.records();
      const mail = records.mails[0];
      result(mail === undefined ? 'the site sent no mail' : `the site checked the card's signature and sent a ${mail.kind} mail to ${mail.to}`);
      if (rig !== undefined) result(`virtual card: ${String(rig.card(0)?.apduLog.length ?? 0)} APDUs answered; reader ${rig.readerNames[0] ?? ''}`);
    }
    if (!headless) await new Promise((resolve) => setTimeout(resolve, 5000));
    return outcome.ok ? 0 : 1;
  } catch (error) {
    console.error(`\nDemo failed at step ${stepNumber}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    step('Clean up');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => {
        console.error(`    cleanup: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    result('browser closed, sites and simulator stopped, private pcscd stopped');
  }
}

process.exitCode = await main();
