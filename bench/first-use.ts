/**
 * The first trusted page of a browser session: the browser is launched (host registered, not
 * running, nothing cached), and a trusted page is opened a set delay after the browser is up (the
 * launcher has returned: Chromium started, or Firefox started and the add-on installed); at its
 * load event the page opens the component socket and sends GetVersion (test/site/scripts/first-use.ts).
 * Each run is a fresh browser on a fresh profile. The launcher does not wait for the extension here:
 * the page is the session's first, as a link from another application or a restored tab would be.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserName, BrowserSession } from '../test/e2e/browser-session';
import { launchChromium } from '../test/e2e/chromium-session';
import type { E2eStack } from '../test/e2e/e2e-stack';
import { launchFirefox } from '../test/e2e/firefox-session';
import type { LaunchOptions } from '../test/e2e/launch-options';
import { URLS } from '../test/e2e/site-urls';
import { testId } from '../test/e2e/test-page';
import { summarize, type Summary } from './stats';

/** One delay's figures, in ms. */
export interface FirstUseFigures {
  /** Launch call began -> the browser is up (the launcher returned). */
  readonly launchMs: Summary;
  /** When the page's navigation started, after the browser was up: the delay, give or take the driver. */
  readonly navigationAfterUpMs: Summary;
  /** Page load event -> socket `open`. */
  readonly loadToOpenMs: Summary;
  /** Page load event -> GetVersion reply: the row's headline. */
  readonly loadToReplyMs: Summary;
  /** Launch call began -> GetVersion reply (wall clock, Node's and the page's). */
  readonly launchToReplyMs: Summary;
  /** Runs whose socket failed or timed out instead of answering (counted, not timed). */
  readonly failures: number;
}

/** Figures per browser, then per delay (ms, as a string key). */
export type FirstUseResults = Partial<Record<BrowserName, Record<string, FirstUseFigures>>>;

export interface FirstUseOptions {
  readonly browsers: readonly BrowserName[];
  /** Delays after the browser is up at which the page is opened. */
  readonly delaysMs: readonly number[];
  readonly runs: number;
  /** The unpacked extension per browser. */
  readonly extensionDirFor: (name: BrowserName) => string;
}

interface RunResult {
  readonly launchMs: number;
  readonly navigationAfterUpMs: number;
  readonly loadToOpenMs: number;
  readonly loadToReplyMs: number;
  readonly launchToReplyMs: number;
}

/** Page opened 1 s after the browser is up (a link or restored tab), and 3 s (the browser has run a few seconds). */
export const FIRST_USE_DELAYS_MS: readonly number[] = [1000, 3000];

/** Fresh browsers per browser and delay (each launch takes a few seconds). */
export const FIRST_USE_RUNS = Number(process.env.BENCH_FIRST_USE_RUNS ?? 5);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function launcher(name: BrowserName): (options: LaunchOptions) => Promise<BrowserSession> {
  return name === 'chromium' ? launchChromium : launchFirefox;
}

/** One fresh browser: the first page `delayMs` after it is up; undefined when its socket did not answer. */
async function oneRun(name: BrowserName, stack: E2eStack, extensionDir: string, delayMs: number): Promise<RunResult | undefined> {
  const runDir = await mkdtemp(join(tmpdir(), `nhi-bench-first-use-${name}-`));
  let session: BrowserSession | undefined;
  try {
    const launchedAt = Date.now();
    session = await launcher(name)({ runDir, extensionDir, registerHost: true, headless: true, sitePort: stack.sitePort, hostEnv: stack.hostEnv });
    const upAt = Date.now();
    await sleep(upAt + delayMs - Date.now());
    const page = await session.newPage(URLS.firstUse);
    const state = await page.waitFor(testId('first-use'), 'to settle', (element) => element.data.outcome !== undefined);
    const data = state.data;
    if (data.outcome !== 'reply' || !(data.reply ?? '').startsWith('GetVersion:')) return undefined;
    const at = (field: string | undefined) => Number(field);
    return {
      launchMs: upAt - launchedAt,
      navigationAfterUpMs: at(data.timeOrigin) - upAt,
      loadToOpenMs: at(data.openMs) - at(data.loadMs),
      loadToReplyMs: at(data.replyMs) - at(data.loadMs),
      launchToReplyMs: at(data.timeOrigin) + at(data.replyMs) - launchedAt,
    };
  } finally {
    await session?.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Measures the first trusted page of a session per browser and delay; fresh browsers, one after another. */
export async function measureFirstUse(stack: E2eStack, options: FirstUseOptions): Promise<FirstUseResults> {
  const figures: FirstUseResults = {};
  for (const name of options.browsers) {
    const byDelay: Record<string, FirstUseFigures> = {};
    for (const delayMs of options.delaysMs) {
      const results: RunResult[] = [];
      let failures = 0;
      for (let run = 0; run < options.runs; run++) {
        const result = await oneRun(name, stack, options.extensionDirFor(name), delayMs);
        if (result === undefined) failures += 1;
        else results.push(result);
      }
      if (results.length === 0) throw new Error(`${name}: no first page answered GetVersion at ${delayMs} ms after launch`);
      const pick = (field: keyof RunResult) => summarize(results.map((result) => result[field]));
      byDelay[String(delayMs)] = {
        launchMs: pick('launchMs'),
        navigationAfterUpMs: pick('navigationAfterUpMs'),
        loadToOpenMs: pick('loadToOpenMs'),
        loadToReplyMs: pick('loadToReplyMs'),
        launchToReplyMs: pick('launchToReplyMs'),
        failures,
      };
    }
    figures[name] = byDelay;
  }
  return figures;
}
