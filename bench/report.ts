/**
 * docs/benchmarks.md from one `npm run bench` run: the host figures, then the browser figures, with
 * the machine and its load so the numbers can be judged.
 */
import type { BrowserName } from '../test/e2e/browser-session';
import { WARMUP_ROUNDS, type BrowserPathFigures } from './browser-paths';
import type { FirstUseResults } from './first-use';
import { firstUseMarkdown } from './first-use-report';
import type { InjectedFigures } from './injected-scripts';
import { injectedMarkdown } from './injected-report';
import { round3, type Summary } from './stats';

type Machine = Record<string, string | number>;

/** docs/benchmarks.md keeps everything from this line on when the bench rewrites the page. */
export const KEPT_NOTES_MARKER = '<!-- Notes below this line are written by hand; npm run bench keeps them. -->';

/** What bench/run.ts collected (its JSON output). */
export interface BenchFigures {
  readonly machine: Machine;
  readonly machineAtEnd: Machine;
  readonly tcpNoDelayShim: boolean;
  readonly rawPcscSelectReadMs: Summary;
  readonly adapterReadMs: Summary;
  readonly hostFirstReadCardMs: Summary;
  readonly hostFirstLegacyGetBasicMs: Summary;
  readonly hostReadCardRoundTripMs: Summary;
  readonly hostLegacyGetBasicRoundTripMs: Summary;
  readonly hostEncryptRoundTripMs: Summary;
  /** Idle time between the paced rounds below. */
  readonly paceMs: number;
  readonly rawPcscSelectReadPacedMs: Summary;
  readonly hostGetVersionPacedMs: Summary;
  readonly hostEncryptPacedMs: Summary;
  readonly hostGetVersionRoundTripMs: Summary;
  readonly hostGetRandomRoundTripMs: Summary;
  readonly hostSecureGetBasicRoundTripMs: Summary;
  /** EnCrypt of the shipped host and of one without lite mode, in alternating blocks. */
  readonly hostLiteModeEncryptAlternatedMs: Summary;
  readonly hostWithoutLiteModeEncryptRoundTripMs: Summary;
  readonly hostWithoutLiteModeFreshIdleRssMiB: number;
  readonly hostWithoutLiteModeRssAfterReadsMiB: number;
  readonly hostFreshIdleRssMiB: number;
  readonly hostOverheadOverRawMedianMs: number;
  readonly hostSpawnToHelloMs: Summary;
  readonly hostIdleRssMiB: number;
  readonly hostRssAfterReadsMiB: number;
  readonly readsForMemory: number;
  readonly hostIdleCpuPercent: number;
  readonly cliReadProcessMs: Summary;
  readonly browserMachineAtStart?: Machine;
  readonly browsers?: Partial<Record<BrowserName, BrowserPathFigures>>;
  readonly firstUseMachineAtStart?: Machine;
  readonly firstUse?: FirstUseResults;
  readonly injectedMachineAtStart?: Machine;
  readonly injected?: InjectedFigures;
}

const load = (machine: Machine): string => `${String(machine.loadAverage1m)} (1 min) / ${String(machine.loadAverage5m)} (5 min)`;
const cell = (summary: Summary | undefined): string => (summary === undefined ? '–' : `${round3(summary.median)} / ${round3(summary.p95)}`);

export function benchmarkMarkdown(figures: BenchFigures): string {
  const row = (label: string, summary: Summary): string => `| ${label} | ${round3(summary.median)} | ${round3(summary.p95)} | ${summary.n} |`;
  const { machine } = figures;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` on the virtual-card rig (private pcscd, vpcd, virtual NHI card),',
    `${figures.tcpNoDelayShim ? 'with' : 'WITHOUT'} the TCP_NODELAY shim on vpcd's sockets. Re-run it to refresh this page.`,
    '',
    `Machine: ${String(machine.cpu)}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB, Node ${String(machine.node)};`,
    `load average ${load(machine)} when the run started, ${load(figures.machineAtEnd)} when it ended.`,
    '',
    '| measurement (ms) | median | p95 | n |',
    '|---|---|---|---|',
    row('(a) raw PC/SC SELECT + READ BASIC (C client)', figures.rawPcscSelectReadMs),
    row(`(a) the same, ${String(figures.paceMs)} ms idle between rounds (a page loop's pace)`, figures.rawPcscSelectReadPacedMs),
    row('adapter read in process (SELECT + READ, parse)', figures.adapterReadMs),
    row('(b) host `readCard` over stdio, first read after insertion (SELECT + READ)', figures.hostFirstReadCardMs),
    row('(b) host `readCard` over stdio, card already read (memo)', figures.hostReadCardRoundTripMs),
    row('host legacy `GetBasic`, first read after insertion (3 APDUs)', figures.hostFirstLegacyGetBasicMs),
    row('host legacy `GetBasic`, card already read (memo)', figures.hostLegacyGetBasicRoundTripMs),
    row('host legacy `EnCrypt`, at the card every time (SELECT + READ CARD ID)', figures.hostEncryptRoundTripMs),
    row('host legacy `EnCrypt`, at the card every time, blocks alternated with the next row', figures.hostLiteModeEncryptAlternatedMs),
    row('host legacy `EnCrypt`, at the card every time, host without `--lite-mode`, alternated with the row above', figures.hostWithoutLiteModeEncryptRoundTripMs),
    row('host legacy `SecureGetBasicWithParam`, card already read (memo, DES)', figures.hostSecureGetBasicRoundTripMs),
    row('host legacy `GetVersion`, no card', figures.hostGetVersionRoundTripMs),
    row(`host legacy \`GetVersion\`, ${String(figures.paceMs)} ms idle between requests`, figures.hostGetVersionPacedMs),
    row(`host legacy \`EnCrypt\`, at the card every time, ${String(figures.paceMs)} ms idle between requests`, figures.hostEncryptPacedMs),
    row('host legacy `GetRandom`, no card', figures.hostGetRandomRoundTripMs),
    row('(e) host spawn -> first message (`hello`)', figures.hostSpawnToHelloMs),
    row('`nhi-card read --json`, whole process', figures.cliReadProcessMs),
    '',
    `Host overhead over raw PC/SC for a read that goes to the card (median first read - median (a)): **${String(figures.hostOverheadOverRawMedianMs)} ms**.`,
    'Once a card has been read, the host answers later reads of the same insertion from its memo of it, without APDUs;',
    'the memo is forgotten when PC/SC reports the card removed or re-inserted (docs/security.md).',
    '',
    `Host memory (RSS, MiB): ${String(figures.hostFreshIdleRssMiB)} idle after start (hello + subscribe, no command yet), ${String(figures.hostIdleRssMiB)} idle after the timed loops above,`,
    `${String(figures.hostRssAfterReadsMiB)} after ${String(figures.readsForMemory)} \`readCard\` + ${String(figures.readsForMemory)} \`EnCrypt\` (each SELECT + READ CARD ID at the card).`,
    `Without \`--lite-mode\`: ${String(figures.hostWithoutLiteModeFreshIdleRssMiB)} idle after start, ${String(figures.hostWithoutLiteModeRssAfterReadsMiB)} after the same ${String(figures.readsForMemory)} + ${String(figures.readsForMemory)} commands.`,
    `Host CPU while idle with a reader and card attached: ${String(figures.hostIdleCpuPercent)} % over 5 s.`,
    '',
    ...browserSection(figures),
    ...firstUseSection(figures),
    ...(figures.injectedMachineAtStart === undefined ? [] : injectedMarkdown(figures.injected, load(figures.injectedMachineAtStart))),
  ].join('\n');
}

function firstUseSection(figures: BenchFigures): string[] {
  const [heading = '', ...rest] = firstUseMarkdown(figures.firstUse);
  if (figures.firstUseMachineAtStart === undefined || heading === '') return [];
  return [heading, '', `Load average ${load(figures.firstUseMachineAtStart)} when this part started.`, ...rest];
}

function browserSection(figures: BenchFigures): string[] {
  const { browsers, browserMachineAtStart } = figures;
  if (browsers === undefined || browserMachineAtStart === undefined) return [];
  const raw = figures.rawPcscSelectReadMs;
  // A pick may be undefined for a browser that has no such row (the direct floor rows: Chromium only).
  const n = (pick: (entry: BrowserPathFigures) => Summary | undefined): string => String(Object.values(browsers).map((entry) => pick(entry)?.n).find((count) => count !== undefined) ?? '');
  const row = (label: string, pick: (entry: BrowserPathFigures) => Summary | undefined): string =>
    `| ${label} | ${cell(browsers.chromium && pick(browsers.chromium))} | ${cell(browsers.firefox && pick(browsers.firefox))} | ${n(pick)} |`;
  const hop = (label: string, pick: (entry: BrowserPathFigures) => number): string =>
    `| ${label} | ${browsers.chromium ? String(round3(pick(browsers.chromium))) : '–'} | ${browsers.firefox ? String(round3(pick(browsers.firefox))) : '–'} |`;
  const reference = (label: string, summary: Summary): string => `| ${label}, for reference | ${cell(summary)} | ${cell(summary)} | ${summary.n} |`;
  const overhead = (name: BrowserName): string => {
    const entry = browsers[name];
    if (entry === undefined) return `- ${name}: not measured`;
    const steady = round3(entry.legacyGetBasicMs.median - raw.median);
    const first = round3(entry.firstGetBasicAfterInsertionMs.median - raw.median);
    const everyTime = round3(entry.cardEveryTimeMs.median - raw.median);
    const extension = round3(entry.cardEveryTimeMs.median - figures.hostEncryptRoundTripMs.median);
    return [
      `- ${name}: (c) - (a) **${steady} ms** once the card was read (the page's GetBasic against the card's own SELECT + READ).`,
      `  A command that reaches the card every time (EnCrypt, 2 APDUs) minus (a): **${everyTime} ms**, of which ${extension} ms is the`,
      `  browser and extension (page EnCrypt over the host's own). First GetBasic after insertion minus (a): ${first} ms.`,
    ].join('\n');
  };
  return [
    '## From a page, through the extension',
    '',
    'The same card from a page on `https://cloudicweb.nhi.gov.tw` (the replica site, production origin), headless',
    'Chromium and Firefox ESR with the built extension and host (test/e2e harness), consent granted and remembered first;',
    'timed in the page with performance.now() (Chromium rounds it to 0.1 ms; Firefox: privacy.reduceTimerPrecision off).',
    `Each hot loop runs in a fresh tab after ${WARMUP_ROUNDS} untimed requests (a fresh tab's first requests are slower).`,
    `Load average ${load(browserMachineAtStart)} when this part started.`,
    '',
    '| measurement (ms), median / p95 | Chromium | Firefox | n |',
    '|---|---|---|---|',
    reference('(a) raw PC/SC SELECT + READ BASIC', raw),
    reference('host legacy `GetBasic`, first read after insertion', figures.hostFirstLegacyGetBasicMs),
    reference('host legacy `EnCrypt`, at the card every time', figures.hostEncryptRoundTripMs),
    row('floor: page <-> content script <-> background, a minimal extension echoing (bench/floor)', (entry) => entry.floor.viaContentScriptMs),
    row('floor: the same through an echo native host (page <-> background <-> host, nothing done)', (entry) => entry.floor.viaContentScriptToHostMs),
    row('floor: page <-> background directly (`externally_connectable`), echoing', (entry) => entry.floor.directMs),
    row('floor: the same direct port through the echo native host', (entry) => entry.floor.directToHostMs),
    row('our extension, a host that answers at once (bench/floor/no-work-host): legacy `GetVersion`', (entry) => entry.noWorkHost.getVersionMs),
    row('our extension, a host that answers at once: legacy `EnCrypt` (no card)', (entry) => entry.noWorkHost.encryptMs),
    row('page <-> background only (a legacy line the extension answers itself)', (entry) => entry.backgroundRoundTripMs),
    row('page <-> host, no card (legacy `GetVersion`)', (entry) => entry.hostRoundTripMs),
    row('**page -> legacy `EnCrypt` -> page, at the card every time (2 APDUs, as (a))**', (entry) => entry.cardEveryTimeMs),
    row('page -> legacy `H_Sign` -> page, card and SAM service (simulator) every time', (entry) => entry.hSignMs),
    row('page -> legacy `GetRandom` -> page, no card', (entry) => entry.getRandomMs),
    row('page -> legacy `SecureGetBasicWithParam` -> page, card already read (host memo)', (entry) => entry.secureGetBasicMs),
    row('(c) page -> legacy shim `GetBasic` -> page, first after insertion', (entry) => entry.firstGetBasicAfterInsertionMs),
    row('(c) page -> legacy shim `GetBasic` -> page, card already read', (entry) => entry.legacyGetBasicMs),
    row('(d) page -> `window.nhiCard.readCard()` -> page, card already read', (entry) => entry.apiReadCardMs),
    row('page -> `window.nhiCard.status()` -> page, host reader list, no card', (entry) => entry.apiStatusMs),
    row('(e) browser start -> first reply on a trusted page', (entry) => entry.browserStartToFirstReplyMs),
    row('(e) trusted page load -> first reply, host running', (entry) => entry.pageLoadToFirstReplyWarmMs),
    row('(e) trusted page load -> first reply, host not running', (entry) => entry.pageLoadToFirstReplyColdHostMs),
    '',
    'Overhead over raw PC/SC (medians):',
    '',
    overhead('chromium'),
    overhead('firefox'),
    '',
    'Where the page\'s EnCrypt went (medians of this run, by difference between its rows):',
    '',
    '| hop | Chromium | Firefox |',
    '|---|---|---|',
    hop('page <-> content script <-> background (the line the extension answers itself)', (entry) => entry.backgroundRoundTripMs.median),
    hop('background <-> native messaging <-> host, host work without the card (`GetVersion` - the above)', (entry) => entry.hostRoundTripMs.median - entry.backgroundRoundTripMs.median),
    hop('the card command beyond that (`EnCrypt` - `GetVersion`: consent check, host card path, PC/SC)', (entry) => entry.cardEveryTimeMs.median - entry.hostRoundTripMs.median),
    hop('... of which the host\'s card path measured alone (host `EnCrypt` - host `GetVersion`)', () => figures.hostEncryptRoundTripMs.median - figures.hostGetVersionRoundTripMs.median),
    hop('... of which raw PC/SC, two APDUs ((a))', () => raw.median),
    '',
    'The same legs against the floor (ours minus the minimal extension\'s, medians): what our extension and host add to',
    'what the browser\'s own messaging costs.',
    '',
    '| leg | Chromium | Firefox |',
    '|---|---|---|',
    hop('page <-> background: ours - floor', (entry) => entry.backgroundRoundTripMs.median - entry.floor.viaContentScriptMs.median),
    hop('page <-> background <-> host, no card: ours (`GetVersion`) - floor (echo host)', (entry) => entry.hostRoundTripMs.median - entry.floor.viaContentScriptToHostMs.median),
    hop('our extension on the host path: ours with the no-work host (`GetVersion`) - floor (echo host)', (entry) => entry.noWorkHost.getVersionMs.median - entry.floor.viaContentScriptToHostMs.median),
    hop(`our host in the browser, no card: \`GetVersion\` - the same with the no-work host (driven alone: ${String(round3(figures.hostGetVersionRoundTripMs.median))} back to back, ${String(round3(figures.hostGetVersionPacedMs.median))} paced)`, (entry) => entry.hostRoundTripMs.median - entry.noWorkHost.getVersionMs.median),
    hop(`our host in the browser, at the card: \`EnCrypt\` - the same with the no-work host (driven alone: ${String(round3(figures.hostEncryptRoundTripMs.median))} back to back, ${String(round3(figures.hostEncryptPacedMs.median))} paced)`, (entry) => entry.cardEveryTimeMs.median - entry.noWorkHost.encryptMs.median),
    hop('page `EnCrypt` - floor through the echo host (the card, the host\'s work, our checks)', (entry) => entry.cardEveryTimeMs.median - entry.floor.viaContentScriptToHostMs.median),
    hop('floor through the echo host + raw PC/SC (a): the least a page EnCrypt could cost here', (entry) => entry.floor.viaContentScriptToHostMs.median + raw.median),
    '',
    'Firefox has no `externally_connectable` for web pages, so its direct rows are empty. The floor extension rides along',
    'in the same browser for the whole run; its content script only listens for its own message.',
    '',
    'Checking a message against its schema costs microseconds (zod, jitless: 0.5-5.5 µs per check on this machine), so',
    'the milliseconds are in the hops themselves: processes woken one after another (renderer, browser, service worker,',
    'host, pcscd, the card), each a wakeup that a loaded 2-core machine may delay.',
    '',
    '"Card already read": the background answers `readCard` and `GetBasic` of a card it has already read from memory while',
    'the host reports card events (it forgets on any card or reader event), so those reads cost one page <-> background',
    'round trip. "First after insertion": the card was pulled and inserted again and the page saw the insertion event;',
    'nothing is remembered, so the read goes through the host to the card (connect, SELECT, READ BASIC, READ HC). It is a',
    'cold path: browser, extension and host sat idle for the ~0.5 s each re-insertion takes, so it is slower than the',
    'hot loops, which repeat one request back to back.',
    '',
    '"Browser start" runs from launching the browser (profile on disk, host registered, consent remembered) to the first',
    'GetBasic reply, Node\'s clock, including the harness waiting for the extension on a trusted page. "Page load -> first',
    'reply" runs from the load event to the reply of a GetBasic sent right after it; the driver\'s call into the page is',
    'inside that interval, so it is an upper bound. "Host not running": the host was stopped (SIGTERM) before the',
    'navigation, so the content script\'s warm-up at document_start starts it while the page loads.',
    '',
  ];
}
