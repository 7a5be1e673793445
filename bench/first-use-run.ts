/**
 * `npm run bench:first-use`: only the "first trusted page of a session" rows of `npm run bench`
 * (bench/first-use.ts), printed as JSON with the machine's load and as the markdown section
 * `npm run bench` writes; docs/benchmarks.md is not touched. BENCH_BROWSERS and
 * BENCH_FIRST_USE_RUNS as for `npm run bench`; needs `npm run build` first.
 */
import type { BrowserName } from '../test/e2e/browser-session';
import { startE2eStack } from '../test/e2e/e2e-stack';
import { snapshotExtensions } from '../test/e2e/extension-snapshot';
import { FIRST_USE_DELAYS_MS, FIRST_USE_RUNS, measureFirstUse, type FirstUseResults } from './first-use';
import { firstUseMarkdown } from './first-use-report';
import { describeMachine } from './machine';

const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is BrowserName => name === 'chromium' || name === 'firefox');

const results: Record<string, unknown> = { machine: describeMachine() };
const stack = await startE2eStack({ ports: BROWSERS.includes('firefox') ? 'production' : 'any-port' });
const extensions = await snapshotExtensions(BROWSERS);
try {
  results.firstUse = await measureFirstUse(stack, { browsers: BROWSERS, delaysMs: FIRST_USE_DELAYS_MS, runs: FIRST_USE_RUNS, extensionDirFor: (name) => extensions.dirFor(name) });
} finally {
  await extensions.remove();
  await stack.close();
}
results.machineAtEnd = describeMachine();
console.log(JSON.stringify(results, null, 2));
console.log(firstUseMarkdown(results.firstUse as FirstUseResults).join('\n'));
