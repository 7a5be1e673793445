/** The "first trusted page of a session" section of docs/benchmarks.md (bench/first-use.ts's figures). */
import type { BrowserName } from '../test/e2e/browser-session';
import type { FirstUseFigures, FirstUseResults } from './first-use';
import { round3, type Summary } from './stats';

const cell = (summary: Summary | undefined): string => (summary === undefined ? '–' : `${String(Math.round(summary.median))} (${String(Math.round(summary.min))}-${String(Math.round(summary.max))})`);

/** Markdown for the first-use figures; empty when they were not measured. */
export function firstUseMarkdown(results: FirstUseResults | undefined): string[] {
  if (results === undefined) return [];
  const browsers = (['chromium', 'firefox'] as const).filter((name) => results[name] !== undefined);
  const delays = [...new Set(browsers.flatMap((name) => Object.keys(results[name] ?? {})))];
  const at = (name: BrowserName, delay: string): FirstUseFigures | undefined => results[name]?.[delay];
  const rows = delays.flatMap((delay) => {
    const row = (label: string, pick: (figures: FirstUseFigures) => Summary): string =>
      `| ${label} | ${delay} | ${browsers.map((name) => cell(figures(name, pick))).join(' | ')} |`;
    const figures = (name: BrowserName, pick: (figures: FirstUseFigures) => Summary): Summary | undefined => {
      const entry = at(name, delay);
      return entry === undefined ? undefined : pick(entry);
    };
    return [
      row('launch call -> browser up (launcher returned)', (entry) => entry.launchMs),
      row('browser up -> page navigation starts', (entry) => entry.navigationAfterUpMs),
      row('page load event -> socket `open`', (entry) => entry.loadToOpenMs),
      row('**page load event -> first `GetVersion` reply**', (entry) => entry.loadToReplyMs),
      row('browser launch began -> first `GetVersion` reply', (entry) => entry.launchToReplyMs),
    ];
  });
  const failures = browsers.flatMap((name) => delays.map((delay) => `${name} ${delay} ms: ${String(at(name, delay)?.failures ?? 0)}`));
  const runs = browsers.map((name) => at(name, delays[0] ?? '')?.loadToReplyMs.n ?? 0)[0] ?? 0;
  return [
    '## First trusted page of a session',
    '',
    'A fresh browser (new profile, host registered but not running) is launched, and a trusted page is opened a set',
    'delay after the browser is up (the launcher returned: Chromium started; Firefox started and the add-on installed);',
    'at its load event the page opens the component socket and sends `GetVersion` (test/site/scripts/first-use.ts), as a',
    'link from another application or a restored tab would. Page timings on the page\'s clock, launch and "up" on the',
    `wall clock. ${String(runs)} fresh browsers per cell; median (min-max) in ms.`,
    '',
    `| measurement (ms) | page opened (ms after browser up) | ${browsers.map((name) => (name === 'chromium' ? 'Chromium' : 'Firefox')).join(' | ')} |`,
    `|---|---|${browsers.map(() => '---').join('|')}|`,
    ...rows,
    '',
    `Runs whose socket failed or did not answer (not timed): ${failures.join(', ')}. Targets (issue 14): load -> reply`,
    `within 400 ms at 1 s and 250 ms once the browser has run a few seconds. Median load -> reply: ${browsers
      .flatMap((name) => delays.map((delay) => `${name} ${delay} ms ${String(round3(at(name, delay)?.loadToReplyMs.median ?? Number.NaN))}`))
      .join(', ')}.`,
    '',
    'Where the time goes: the content script asks the background to start the host at `document_start`, so the host',
    "starts while the page loads, and the socket's `open` waits for the host's `hello` (spawn -> hello is the (e) row",
    'above): with no host the socket must fail, as the official component\'s does when it is not running, and pages take',
    "their \"component not available\" path from that. Until issue 14 the background judged each request's origin only",
    'after reading the policy list (`storage.managed`), which Chromium answers only once its policy machinery is ready',
    '(1.6-2.2 s after start-up, TEST-RIG.md); the warm-up waited behind it too, so the host started late. Built-in',
    'origins are now judged without storage, user-added ones with `storage.local` only; the policy list is read in the',
    'background and awaited only for an origin that the policy alone adds.',
    '',
  ];
}
