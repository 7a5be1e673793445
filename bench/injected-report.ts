/** The "injected into every trusted frame" section of docs/benchmarks.md (bench/injected-scripts.ts's figures). */
import type { BrowserName } from '../test/e2e/browser-session';
import type { InjectedFigures } from './injected-scripts';
import { round3, type Summary } from './stats';

const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];
const BUILD_OF: Readonly<Record<BrowserName, string>> = { chromium: 'dist/chrome', firefox: 'dist/firefox' };
const kB = (bytes: number): string => `${String(round3(bytes / 1000))} kB`;
const cell = (summary: Summary | undefined): string => (summary === undefined ? '–' : `${String(round3(summary.median))} / ${String(round3(summary.p95))}`);

/**
 * Before issue 14 (commit e60486d: zod in both scripts, webextension-polyfill in the content
 * script, no minification), measured with this bench on the same machine: build sizes, and the
 * document_start cost with 20 frames x 10 loads on 2026-12-02 (BENCH_BUILD_DIR pointing at that
 * build); load average (1 min) when that run started.
 */
export const BEFORE_ISSUE_14 = {
  bytes: { page: 91_746, content: 113_146 },
  costPerFrameMs: { chromium: 27.8, firefox: 27.92 },
  loadAverage: 3.75,
} as const;

/** Markdown for the injected-scripts figures; empty when they were not measured. */
export function injectedMarkdown(figures: InjectedFigures | undefined, load: string): string[] {
  if (figures === undefined) return [];
  const browsers = BROWSERS.filter((name) => figures.weight[name] !== undefined);
  const columns = (pick: (name: BrowserName) => string): string => browsers.map(pick).join(' | ');
  const files = [...new Set(browsers.flatMap((name) => figures.weight[name]?.files.map((entry) => entry.file) ?? []))];
  const fileRows = files.map((file) => `| \`${file}\` | ${columns((name) => kB(figures.weight[name]?.files.find((entry) => entry.file === file)?.bytes ?? Number.NaN))} |`);
  const start = (name: BrowserName) => figures.documentStart[name];
  const sample = browsers.map(start).find((entry) => entry !== undefined);
  return [
    '## Injected into every trusted frame',
    '',
    `Load average ${load} when this part started. Targets (issue 14): all scripts injected into a trusted frame`,
    'together <= 20 kB, and their `document_start` main-thread cost <= 2 ms per frame.',
    '',
    `| injected bytes per frame | ${columns((name) => `${name === 'chromium' ? 'Chromium' : 'Firefox'} (\`${BUILD_OF[name]}\`)`)} |`,
    `|---|${browsers.map(() => '---').join('|')}|`,
    ...fileRows,
    `| **total** | ${columns((name) => `**${kB(figures.weight[name]?.totalBytes ?? Number.NaN)}**`)} |`,
    '',
    `| \`document_start\` main-thread cost per frame (ms), median / p95 | ${columns((name) => (name === 'chromium' ? 'Chromium' : 'Firefox'))} |`,
    `|---|${browsers.map(() => '---').join('|')}|`,
    `| frame on a trusted origin: response start -> its first script | ${columns((name) => cell(start(name)?.trustedFrameMs))} |`,
    `| the same frame on an untrusted origin (nothing injected) | ${columns((name) => cell(start(name)?.untrustedFrameMs))} |`,
    `| **cost per frame** (difference of the medians) | ${columns((name) => `**${String(start(name)?.costPerFrameMs ?? '–')}**`)} |`,
    `| the extension with its injected files emptied: trusted frame / untrusted frame | ${columns((name) => `${cell(start(name)?.emptyScriptsFrameMs)}; ${cell(start(name)?.emptyScriptsUntrustedFrameMs)}`)} |`,
    `| cost per frame of two empty \`document_start\` scripts (the browser's part) | ${columns((name) => String(start(name)?.emptyScriptsCostPerFrameMs ?? '–'))} |`,
    '',
    `How: a page loads ${String(sample?.frames ?? '?')} frames of its own origin one after another (${String(sample?.loads ?? '?')} page loads per origin,`,
    'trusted and untrusted alternating, in one headless browser with the built extension). Each frame takes, on its own',
    'clock, the time from its response\'s first byte (Navigation Timing `responseStart`) to its first inline script; the',
    "extension's `document_start` scripts (page world and content script) run in between, on the frame's main thread,",
    'before any page script. On an untrusted origin nothing is injected, so the difference of the medians is what the',
    'scripts cost a frame: compiling and running them, and the content script\'s isolated world. Chromium reports',
    '`performance.now()` in 0.1 ms steps; Firefox runs with `privacy.reduceTimerPrecision` off. The bytes are the files',
    "each build's manifest injects (standalone IIFE builds that import nothing; `test/integration/injected-weight.test.ts`",
    'holds them to that, to no zod and no polyfill, and to the size budget). The "emptied" rows run the same extension',
    'with both injected files replaced by an empty statement, in a fresh browser: what a page-world script plus an',
    'isolated-world script cost a frame before any of our code runs (the isolated world and its bindings, the injection).',
    'The figures are differences of medians of noisy gaps (see the p95s); on a busy machine they move by a few ms.',
    '',
    `Before issue 14 (zod in both scripts, webextension-polyfill in the content script, not minified): page world`,
    `${kB(BEFORE_ISSUE_14.bytes.page)} + content script ${kB(BEFORE_ISSUE_14.bytes.content)} = ${kB(BEFORE_ISSUE_14.bytes.page + BEFORE_ISSUE_14.bytes.content)} per frame, in both builds;`,
    `cost per frame Chromium ${String(BEFORE_ISSUE_14.costPerFrameMs.chromium)} ms, Firefox ${String(BEFORE_ISSUE_14.costPerFrameMs.firefox)} ms (same bench, load average ${String(BEFORE_ISSUE_14.loadAverage)}).`,
    '',
  ];
}
