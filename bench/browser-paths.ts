/**
 * The browser half of `npm run bench`: the same GetBasic / readCard round trips as the host
 * figures, but from a page on a production origin through the loaded extension, in Chromium and
 * Firefox, using the e2e harness's stack and launchers. Consent is granted and remembered first,
 * so the figures are the steady state a person gets after the first prompt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserName, BrowserSession } from '../test/e2e/browser-session';
import type { E2eStack } from '../test/e2e/e2e-stack';
import { snapshotExtensions } from '../test/e2e/extension-snapshot';
import { theHostPid, waitForNoHost } from '../test/e2e/host-process';
import { launchBrowser } from '../test/e2e/launch-browser';
import {
  firstLegacyReply,
  timedApiReads,
  timedApiStatus,
  timedGetBasicAfterInsertion,
  timedLegacyRoundTrips,
  watchInsertions,
  type FirstReply,
  type TimedReplies,
} from '../test/e2e/page-scripts';
import { URLS } from '../test/e2e/site-urls';
import { FLOOR_EXTENSION_DIR, measureFloor, registerFloorHost, type FloorFigures } from './floor/floor-paths';
import { withNoWorkHost } from './floor/no-work-host-swap';
import { summarize, type Summary } from './stats';

export interface BrowserPathFigures {
  /** Page -> content script -> background -> page: a legacy line the background answers itself (9999). */
  readonly backgroundRoundTripMs: Summary;
  /** Page -> background -> host -> page without the card: legacy GetVersion. */
  readonly hostRoundTripMs: Summary;
  /** Page -> host -> card -> page for a command that reaches the card every time: legacy EnCrypt (SELECT + READ CARD ID). */
  readonly cardEveryTimeMs: Summary;
  /** Legacy GetRandom: digits from the host, no card. */
  readonly getRandomMs: Summary;
  /** Legacy SecureGetBasicWithParam, the card already read: the host encrypts its memo of the basic data. */
  readonly secureGetBasicMs: Summary;
  /** Legacy H_Sign: card and SAM service (the simulator) every time. */
  readonly hSignMs: Summary;
  /** window.nhiCard.status(): the host's reader list, no card. */
  readonly apiStatusMs: Summary;
  /** (c) for the first GetBasic after the card was inserted: nothing remembered, three APDUs. */
  readonly firstGetBasicAfterInsertionMs: Summary;
  /** (c) page -> legacy shim -> page, one GetBasic frame, the card already read (steady state). */
  readonly legacyGetBasicMs: Summary;
  /** (d) page -> window.nhiCard.readCard() -> page. */
  readonly apiReadCardMs: Summary;
  /** (e) browser start -> first GetBasic reply on a trusted page (Node's clock; consent remembered). */
  readonly browserStartToFirstReplyMs: Summary;
  /** (e) trusted page's load event -> first GetBasic reply, host already running. */
  readonly pageLoadToFirstReplyWarmMs: Summary;
  /** (e) the same when the host is not running: the content script starts it as the page loads. */
  readonly pageLoadToFirstReplyColdHostMs: Summary;
  /** The same browser's floor: a minimal extension and an echo host, in the same session (./floor). */
  readonly floor: FloorFigures;
  /** Our extension with a host that answers at once (./floor/no-work-host.mjs) in place of ours. */
  readonly noWorkHost: { readonly getVersionMs: Summary; readonly encryptMs: Summary };
}

export interface BrowserPathOptions {
  readonly browsers: readonly BrowserName[];
  readonly rounds: number;
  readonly restarts: number;
  readonly pageLoads: number;
  /** Card re-insertions for the first-read-after-insertion figure. */
  readonly insertions: number;
}

/** A legacy command that goes to the card every time: SELECT + READ CARD ID, like (a)'s two APDUs. */
export const ENCRYPT_LINE = 'EnCrypt?Pwd=abc123';
/** The other legacy commands the bench times (the page's password is not used by SecureGetBasic). */
export const SECURE_GET_BASIC_LINE = 'SecureGetBasicWithParam?Pwd=abc123';
export const H_SIGN_LINE = 'H_Sign?Random=00111234567890123456';

/** Untimed requests before each timed loop. */
export const WARMUP_ROUNDS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function evaluate<T>(session: BrowserSession, expression: string): Promise<T> {
  const page = await session.newPage(URLS.blank);
  try {
    return await page.evaluate<T>(expression);
  } finally {
    await page.close();
  }
}

/** One GetBasic and one readCard with consent answered "allow" + "remember", so later runs never ask. */
async function grantConsent(session: BrowserSession): Promise<void> {
  session.setConsentPolicy({ kind: 'auto', choice: 'allow', remember: true });
  await evaluate<TimedReplies>(session, timedLegacyRoundTrips(1));
  await evaluate<TimedReplies>(session, timedApiReads(1));
  await session.settleConsents();
  session.setConsentPolicy({ kind: 'manual' });
}

async function pageLoadToFirstReply(session: BrowserSession, runs: number, before: () => Promise<void>): Promise<Summary> {
  const page = await session.newPage();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    await before();
    await page.goto(`${URLS.blank}?load=${run}`);
    const first = await page.evaluate<FirstReply>(firstLegacyReply());
    samples.push(first.replyAtMs - first.loadEventEndMs);
  }
  await page.close();
  return summarize(samples);
}

/** GetBasic timed right after the card is pulled and inserted again, once the page has seen the insertion. */
async function firstGetBasicAfterInsertion(session: BrowserSession, stack: E2eStack, rounds: number): Promise<Summary> {
  const page = await session.newPage(URLS.blank);
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const seen = await page.evaluate<number>(watchInsertions());
      await stack.rig.removeCard(0);
      await stack.rig.insertCard(0, 'demo');
      const timed = await page.evaluate<TimedReplies>(timedGetBasicAfterInsertion(seen));
      if (!(timed.replies[0] ?? '').startsWith('GetBasic:')) throw new Error(`GetBasic after insertion failed: ${timed.replies[0] ?? 'no reply'}`);
      samples.push(...timed.samplesMs);
    }
  } finally {
    await page.close();
  }
  return summarize(samples);
}

async function measureOne(name: BrowserName, stack: E2eStack, extensionDir: string, options: BrowserPathOptions): Promise<BrowserPathFigures> {
  const runDir = await mkdtemp(join(tmpdir(), `nhi-bench-${name}-`));
  // The floor extension rides along in every launch; its content script only listens for its own message.
  const launch = (registerHost: boolean) => launchBrowser(name, stack, { runDir, registerHost, headless: true, extensionDir, extraExtensionDirs: [FLOOR_EXTENSION_DIR] });
  let session: BrowserSession | undefined;
  try {
    await registerFloorHost(name, runDir);
    session = await launch(true);
    await grantConsent(session);
    await session.close();

    // Browser start -> first reply: the host is registered and consent remembered, as for a person
    // who has used the extension before. The launcher's own wait for the extension loads a trusted page.
    const startSamples: number[] = [];
    for (let restart = 0; restart < options.restarts; restart++) {
      const started = performance.now();
      session = await launch(false);
      const page = await session.newPage();
      await page.evaluate<FirstReply>(firstLegacyReply());
      startSamples.push(performance.now() - started);
      if (restart < options.restarts - 1) await session.close();
    }
    const live = session;

    const warmLoad = await pageLoadToFirstReply(live, options.pageLoads, () => Promise.resolve());
    const pcscSocket = stack.rig.env.PCSCLITE_CSOCK_NAME;
    const coldLoad = await pageLoadToFirstReply(live, options.pageLoads, async () => {
      // Stop the host (SIGTERM, as at logout) and let the background notice before the page loads.
      process.kill(await theHostPid(pcscSocket), 'SIGTERM');
      await waitForNoHost(pcscSocket);
      await sleep(200);
    });

    // Each loop runs in a fresh tab, whose first requests are slower while its scripts warm up.
    // A figure is only worth having for the right answers: every reply must start with `expected`.
    const loop = async (line: string, expected: string): Promise<TimedReplies> => {
      const timed = await evaluate<TimedReplies>(live, timedLegacyRoundTrips(options.rounds, line, WARMUP_ROUNDS));
      const wrong = timed.replies.find((reply) => !reply.startsWith(expected));
      // Only a bare error code is shown: any other reply may hold card data.
      if (wrong !== undefined) throw new Error(`${line.split('?')[0] ?? line} answered ${/^\d+$/u.test(wrong) ? wrong : 'something unexpected'} in ${name}`);
      return timed;
    };
    const background = await loop('NotACommand', '9999');
    const hostOnly = await loop('GetVersion', 'GetVersion:');
    // Next to the two rows above, so that the machine's load is alike for the floor and for us.
    const floor = await measureFloor(live, name, options.rounds, WARMUP_ROUNDS);
    const noWorkHost = await withNoWorkHost(name, runDir, pcscSocket, async () => ({
      getVersionMs: summarize((await loop('GetVersion', 'GetVersion:')).samplesMs),
      encryptMs: summarize((await loop(ENCRYPT_LINE, 'EnCrypt:')).samplesMs),
    }));
    const cardEveryTime = await loop(ENCRYPT_LINE, 'EnCrypt:');
    const getRandom = await loop('GetRandom', 'GetRandom:');
    const secureGetBasic = await loop(SECURE_GET_BASIC_LINE, 'SecureGetBasicWithParam:');
    const hSign = await loop(H_SIGN_LINE, 'H_Sign:');
    const legacy = await loop('GetBasic', 'GetBasic:');
    const api = await evaluate<TimedReplies>(live, timedApiReads(options.rounds, WARMUP_ROUNDS));
    const apiStatus = await evaluate<TimedReplies>(live, timedApiStatus(options.rounds, WARMUP_ROUNDS));
    const firstAfterInsertion = await firstGetBasicAfterInsertion(live, stack, options.insertions);
    return {
      backgroundRoundTripMs: summarize(background.samplesMs),
      hostRoundTripMs: summarize(hostOnly.samplesMs),
      cardEveryTimeMs: summarize(cardEveryTime.samplesMs),
      getRandomMs: summarize(getRandom.samplesMs),
      secureGetBasicMs: summarize(secureGetBasic.samplesMs),
      hSignMs: summarize(hSign.samplesMs),
      apiStatusMs: summarize(apiStatus.samplesMs),
      firstGetBasicAfterInsertionMs: firstAfterInsertion,
      legacyGetBasicMs: summarize(legacy.samplesMs),
      apiReadCardMs: summarize(api.samplesMs),
      browserStartToFirstReplyMs: summarize(startSamples),
      pageLoadToFirstReplyWarmMs: warmLoad,
      pageLoadToFirstReplyColdHostMs: coldLoad,
      floor,
      noWorkHost,
    };
  } finally {
    await session?.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Measures every browser in `options.browsers` against `stack`, one after another. */
export async function measureBrowserPaths(stack: E2eStack, options: BrowserPathOptions): Promise<Partial<Record<BrowserName, BrowserPathFigures>>> {
  const extensions = await snapshotExtensions(options.browsers);
  const figures: Partial<Record<BrowserName, BrowserPathFigures>> = {};
  try {
    for (const name of options.browsers) figures[name] = await measureOne(name, stack, extensions.dirFor(name), options);
  } finally {
    await extensions.remove();
  }
  return figures;
}
