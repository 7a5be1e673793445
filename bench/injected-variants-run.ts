/**
 * Where the document_start cost goes: measures several builds of the extension (each a directory
 * holding chrome/ and firefox/, e.g. copies of dist/ with one injected script cut down) against
 * each other in one session, alternating, `BENCH_VARIANT_ROUNDS` times each, one fresh browser per
 * measurement, as `npm run bench:injected` measures one build. Builds whose injected scripts call
 * performance.mark() (`nhi:page:start` ... `nhi:page:end`, `nhi:relay:start` ... `nhi:relay:end`
 * around each file, any others inside) get, per frame, the time of each step between consecutive
 * marks and the time spent inside both scripts; the medians over the frames are printed.
 * BENCH_VARIANTS="name=dir,name=dir"; BENCH_BROWSERS, BENCH_INJECTED_FRAMES and BENCH_INJECTED_LOADS
 * as for `npm run bench:injected`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserName, BrowserSession } from '../test/e2e/browser-session';
import { launchChromium } from '../test/e2e/chromium-session';
import { startE2eStack, type E2eStack } from '../test/e2e/e2e-stack';
import { launchFirefox } from '../test/e2e/firefox-session';
import { URLS } from '../test/e2e/site-urls';
import { testId } from '../test/e2e/test-page';
import { INJECTED_FRAMES, INJECTED_LOADS } from './injected-scripts';
import { round3, summarize } from './stats';

const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is BrowserName => name === 'chromium' || name === 'firefox');
const VARIANTS = (process.env.BENCH_VARIANTS ?? '').split(',').filter((entry) => entry.includes('=')).map((entry) => {
  const [name = '', dir = ''] = entry.split('=');
  return { name, dir };
});
const ROUNDS = Number(process.env.BENCH_VARIANT_ROUNDS ?? 2);
const BUILD_NAME: Readonly<Record<BrowserName, string>> = { chromium: 'chrome', firefox: 'firefox' };
/** Time for the extension to register its content scripts in a fresh browser (nothing to poll for when they are emptied). */
const SETTLE_MS = 1500;

interface LoadFigures {
  readonly gaps: number[];
  readonly marks: Record<string, number>[];
}

async function loadFrames(session: BrowserSession, url: string, frames: number): Promise<LoadFigures> {
  const page = await session.newPage(`${url}?frames=${String(frames)}`);
  try {
    const state = await page.waitFor(testId('inject-cost'), 'to finish', (element) => element.data.outcome !== undefined, 60_000);
    if (state.data.outcome !== 'done') throw new Error(`${url}: ${state.data.outcome ?? 'no outcome'}`);
    return { gaps: JSON.parse(state.data.gaps ?? '[]') as number[], marks: JSON.parse(state.data.marks ?? '[]') as Record<string, number>[] };
  } finally {
    await page.close();
  }
}

function medianOf(values: number[]): number {
  return values.length === 0 ? Number.NaN : summarize(values).median;
}

/**
 * Per frame, the marks in time order: the time to the first one (after the frame's response
 * start) and each step between consecutive marks; the median of each over the frames.
 */
function markMedians(frames: Record<string, number>[]): Record<string, number> {
  const steps = new Map<string, number[]>();
  for (const frame of frames) {
    const ordered = Object.entries(frame).sort((a, b) => a[1] - b[1]);
    let previous: [string, number] = ['responseStart', 0];
    for (const entry of ordered) {
      const key = `${previous[0]} -> ${entry[0]}`;
      steps.set(key, [...(steps.get(key) ?? []), entry[1] - previous[1]]);
      previous = entry;
    }
  }
  const medians: Record<string, number> = {};
  // Our code's own time per frame: both scripts from their first statement to their last.
  const inScripts = frames.flatMap((frame) => {
    const total = ['page', 'relay'].reduce((sum, script) => sum + (frame[`nhi:${script}:end`] ?? Number.NaN) - (frame[`nhi:${script}:start`] ?? Number.NaN), 0);
    return Number.isNaN(total) ? [] : [total];
  });
  if (inScripts.length > 0) medians['in both scripts'] = round3(medianOf(inScripts));
  // Only steps most frames share (a tie in time order can swap two marks in a few frames).
  for (const [key, values] of steps) if (values.length >= frames.length / 2) medians[key] = round3(medianOf(values));
  return medians;
}

async function measureOnce(name: BrowserName, stack: E2eStack, extensionDir: string): Promise<Record<string, unknown>> {
  const runDir = await mkdtemp(join(tmpdir(), `nhi-bench-variant-${name}-`));
  const load = loadavg()[0];
  let session: BrowserSession | undefined;
  try {
    const options = { runDir, registerHost: true, headless: true, extensionDir, sitePort: stack.sitePort, hostEnv: stack.hostEnv };
    session = await (name === 'chromium' ? launchChromium : launchFirefox)(options);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await loadFrames(session, URLS.injectCostTrusted, 2);
    await loadFrames(session, URLS.injectCostUntrusted, 2);
    const trusted: LoadFigures = { gaps: [], marks: [] };
    const untrusted: number[] = [];
    for (let index = 0; index < INJECTED_LOADS; index++) {
      const figures = await loadFrames(session, URLS.injectCostTrusted, INJECTED_FRAMES);
      trusted.gaps.push(...figures.gaps);
      trusted.marks.push(...figures.marks);
      untrusted.push(...(await loadFrames(session, URLS.injectCostUntrusted, INJECTED_FRAMES)).gaps);
    }
    const trustedMedian = medianOf(trusted.gaps);
    const untrustedMedian = medianOf(untrusted);
    return { load, trusted: round3(trustedMedian), untrusted: round3(untrustedMedian), cost: round3(trustedMedian - untrustedMedian), marks: markMedians(trusted.marks) };
  } finally {
    await session?.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

const stack = await startE2eStack({ ports: BROWSERS.includes('firefox') ? 'production' : 'any-port' });
try {
  for (const browser of BROWSERS) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS) {
        const figures = await measureOnce(browser, stack, join(variant.dir, BUILD_NAME[browser]));
        console.log(JSON.stringify({ browser, round, variant: variant.name, ...figures }));
      }
    }
  }
} finally {
  await stack.close();
}
