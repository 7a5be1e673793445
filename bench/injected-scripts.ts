/**
 * What the extension injects into every trusted frame, and what that costs the frame:
 * - bytes: the files each build's manifest injects (./injected-weight.ts);
 * - document_start main-thread cost, measured in the browser: a page on a trusted origin loads
 *   frames of its own origin one after another; each frame takes, on its own clock, the time from
 *   its response's first byte (Navigation Timing `responseStart`) to its first script, which
 *   includes the extension's document_start scripts (they run before any page script). The same
 *   page on an untrusted origin, where nothing is injected, gives the baseline; the cost is the
 *   difference of the medians. Page and baseline loads alternate in one browser. The same is
 *   measured for a copy of the extension whose injected files are empty: what two document_start
 *   scripts (page world and isolated world) cost a frame before any of our code runs.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserName, BrowserSession } from '../test/e2e/browser-session';
import type { E2eStack } from '../test/e2e/e2e-stack';
import { launchChromium } from '../test/e2e/chromium-session';
import { launchFirefox } from '../test/e2e/firefox-session';
import { launchBrowser } from '../test/e2e/launch-browser';
import { URLS } from '../test/e2e/site-urls';
import { testId } from '../test/e2e/test-page';
import { injectedWeight, type InjectedWeight } from './injected-weight';
import { round3, summarize, type Summary } from './stats';

/** Per browser: first script - response start, per frame, with and without the extension's scripts. */
export interface DocumentStartFigures {
  readonly trustedFrameMs: Summary;
  readonly untrustedFrameMs: Summary;
  /** median(trusted) - median(untrusted): the scripts' cost per frame. */
  readonly costPerFrameMs: number;
  /** The same with the injected files emptied: the browser's cost of injecting two scripts. */
  readonly emptyScriptsFrameMs: Summary;
  readonly emptyScriptsUntrustedFrameMs: Summary;
  readonly emptyScriptsCostPerFrameMs: number;
  readonly frames: number;
  readonly loads: number;
}

export interface InjectedFigures {
  readonly weight: Partial<Record<BrowserName, InjectedWeight>>;
  readonly documentStart: Partial<Record<BrowserName, DocumentStartFigures>>;
}

export interface InjectedOptions {
  readonly browsers: readonly BrowserName[];
  /** The unpacked extension per browser (its manifest names the injected files). */
  readonly extensionDirFor: (name: BrowserName) => string;
  /** Frames per page load. */
  readonly frames: number;
  /** Page loads per origin (trusted and untrusted alternate). */
  readonly loads: number;
}

/** Frames per page and page loads per origin, for `npm run bench`. */
export const INJECTED_FRAMES = Number(process.env.BENCH_INJECTED_FRAMES ?? 20);
export const INJECTED_LOADS = Number(process.env.BENCH_INJECTED_LOADS ?? 10);

/** One page load: the per-frame gaps (ms) on `url`. */
async function frameGaps(session: BrowserSession, url: string, frames: number): Promise<number[]> {
  const page = await session.newPage(`${url}?frames=${String(frames)}`);
  try {
    const state = await page.waitFor(testId('inject-cost'), 'to finish', (element) => element.data.outcome !== undefined, 60_000);
    if (state.data.outcome !== 'done') throw new Error(`${url}: ${state.data.outcome ?? 'no outcome'}`);
    return JSON.parse(state.data.gaps ?? '[]') as number[];
  } finally {
    await page.close();
  }
}

interface GapFigures {
  readonly trusted: Summary;
  readonly untrusted: Summary;
}

/** Trusted and untrusted frame gaps in one fresh browser with the extension in `extensionDir`. */
async function frameGapFigures(name: BrowserName, stack: E2eStack, extensionDir: string, options: InjectedOptions, waitForExtension: boolean): Promise<GapFigures> {
  const runDir = await mkdtemp(join(tmpdir(), `nhi-bench-injected-${name}-`));
  let session: BrowserSession | undefined;
  try {
    const launchOptions = { runDir, registerHost: true, headless: true, extensionDir };
    if (waitForExtension) session = await launchBrowser(name, stack, launchOptions);
    else session = await (name === 'chromium' ? launchChromium : launchFirefox)({ ...launchOptions, sitePort: stack.sitePort, hostEnv: stack.hostEnv });
    // One untimed load each, so both origins start with warm caches and a running renderer.
    await frameGaps(session, URLS.injectCostTrusted, 2);
    await frameGaps(session, URLS.injectCostUntrusted, 2);
    const trusted: number[] = [];
    const untrusted: number[] = [];
    for (let load = 0; load < options.loads; load++) {
      trusted.push(...(await frameGaps(session, URLS.injectCostTrusted, options.frames)));
      untrusted.push(...(await frameGaps(session, URLS.injectCostUntrusted, options.frames)));
    }
    return { trusted: summarize(trusted), untrusted: summarize(untrusted) };
  } finally {
    await session?.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** A copy of the extension whose injected files do nothing; removed by the returned function. */
async function withEmptyScripts(extensionDir: string, files: readonly string[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'nhi-bench-empty-scripts-'));
  const dir = join(root, 'extension');
  await cp(extensionDir, dir, { recursive: true });
  for (const file of files) await writeFile(join(dir, file), ';\n');
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

async function documentStartCost(name: BrowserName, stack: E2eStack, extensionDir: string, files: readonly string[], options: InjectedOptions): Promise<DocumentStartFigures> {
  const ours = await frameGapFigures(name, stack, extensionDir, options, true);
  const empty = await withEmptyScripts(extensionDir, files);
  let floor: GapFigures;
  try {
    // Nothing answers on the page with empty scripts, so the launcher cannot wait for the extension.
    floor = await frameGapFigures(name, stack, empty.dir, options, false);
  } finally {
    await empty.remove();
  }
  return {
    trustedFrameMs: ours.trusted,
    untrustedFrameMs: ours.untrusted,
    costPerFrameMs: round3(ours.trusted.median - ours.untrusted.median),
    emptyScriptsFrameMs: floor.trusted,
    emptyScriptsUntrustedFrameMs: floor.untrusted,
    emptyScriptsCostPerFrameMs: round3(floor.trusted.median - floor.untrusted.median),
    frames: options.frames,
    loads: options.loads,
  };
}

/** Bytes per build and document_start cost per browser, one browser after another. */
export async function measureInjected(stack: E2eStack, options: InjectedOptions): Promise<InjectedFigures> {
  const weight: Partial<Record<BrowserName, InjectedWeight>> = {};
  const documentStart: Partial<Record<BrowserName, DocumentStartFigures>> = {};
  for (const name of options.browsers) {
    const built = await injectedWeight(options.extensionDirFor(name));
    weight[name] = built;
    documentStart[name] = await documentStartCost(name, stack, options.extensionDirFor(name), built.files.map((entry) => entry.file), options);
  }
  return { weight, documentStart };
}
