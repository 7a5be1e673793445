/**
 * `npm run bench:injected`: only the "injected into every trusted frame" rows of `npm run bench`
 * (bench/injected-scripts.ts), printed as JSON with the machine's load and as the markdown section
 * `npm run bench` writes; docs/benchmarks.md is not touched. BENCH_BROWSERS, BENCH_INJECTED_FRAMES
 * and BENCH_INJECTED_LOADS as for `npm run bench`; BENCH_BUILD_DIR measures another build (a
 * directory holding chrome/ and firefox/, e.g. an older dist/ kept for comparison). Needs
 * `npm run build` first.
 */
import { join } from 'node:path';
import type { BrowserName } from '../test/e2e/browser-session';
import { startE2eStack } from '../test/e2e/e2e-stack';
import { snapshotExtensions } from '../test/e2e/extension-snapshot';
import { INJECTED_FRAMES, INJECTED_LOADS, measureInjected } from './injected-scripts';
import { injectedMarkdown } from './injected-report';
import { describeMachine } from './machine';

const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is BrowserName => name === 'chromium' || name === 'firefox');
const BUILD_DIR = process.env.BENCH_BUILD_DIR;
const BUILD_NAME: Readonly<Record<BrowserName, string>> = { chromium: 'chrome', firefox: 'firefox' };

const machine = describeMachine();
const results: Record<string, unknown> = { machine, build: BUILD_DIR ?? 'dist' };
const stack = await startE2eStack({ ports: BROWSERS.includes('firefox') ? 'production' : 'any-port' });
const extensions = BUILD_DIR === undefined ? await snapshotExtensions(BROWSERS) : { dirFor: (name: BrowserName) => join(BUILD_DIR, BUILD_NAME[name]), remove: () => Promise.resolve() };
try {
  results.injected = await measureInjected(stack, { browsers: BROWSERS, frames: INJECTED_FRAMES, loads: INJECTED_LOADS, extensionDirFor: (name) => extensions.dirFor(name) });
} finally {
  await extensions.remove();
  await stack.close();
}
results.machineAtEnd = describeMachine();
console.log(JSON.stringify(results, null, 2));
const load = `${String(machine.loadAverage1m)} (1 min) / ${String(machine.loadAverage5m)} (5 min)`;
console.log(injectedMarkdown(results.injected as Parameters<typeof injectedMarkdown>[0], load).join('\n'));
