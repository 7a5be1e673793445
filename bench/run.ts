/**
 * `npm run bench`: latency, start-up and memory of the host on the virtual-card rig, side by side
 * with raw PC/SC in the same run, then the same reads from pages in Chromium and Firefox through
 * the extension (bench/browser-paths.ts). Prints JSON and writes docs/benchmarks.md.
 * Run it on an otherwise idle machine; the load average is recorded with the figures.
 * BENCH_BROWSERS=chromium,firefox (or none) picks the browsers; needs `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toHex } from '../native-host/card/hex';
import { readIdentity } from '../native-host/card/nhi-card';
import { READ_BASIC_DATA, SELECT_NHI_APPLET } from '../native-host/card/nhi-apdus';
import { createPcscReaderService } from '../native-host/pcsc/pcsc-reader-service';
import { CHROME_EXTENSION_ID } from '../native-host/protocol/extension-ids';
import { probeApdus } from '../test/rig/apdu-probe';
import { startRig } from '../test/rig/rig';
import { spawnHost } from '../test/support/host-client';
import type { BrowserName } from '../test/e2e/browser-session';
import { startE2eStack } from '../test/e2e/e2e-stack';
import { measureBrowserPaths, type BrowserPathFigures } from './browser-paths';
import { describeMachine } from './machine';
import { round3, summarize, type Summary } from './stats';

const root = join(import.meta.dirname, '..');
const hostBinary = join(root, 'dist', 'native-host', 'nhi-card');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const MEMORY_READS = Number(process.env.BENCH_MEMORY_READS ?? 10_000);
const CLI_RUNS = 10;
const BROWSER_ROUNDS = Number(process.env.BENCH_BROWSER_ROUNDS ?? 300);
const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is BrowserName => name === 'chromium' || name === 'firefox');

const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;
const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? Number.NaN) / 102.4) / 10;
};
const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
};
const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));

const rig = await startRig({ readers: 2 });
process.env.PCSCLITE_CSOCK_NAME = rig.env.PCSCLITE_CSOCK_NAME;
const env = { ...process.env, ...rig.env };
const results: Record<string, unknown> = { machine: describeMachine(), tcpNoDelayShim: rig.shimPath !== undefined, rounds: ROUNDS };

try {
  const reader = rig.readerNames[0] ?? '';
  await rig.insertCard(0, 'demo');

  // (a) Raw PC/SC: a C client sends SELECT + READ BASIC through the same pcscd.
  const probe = await probeApdus(rig.env, reader, [toHex(SELECT_NHI_APPLET.toBytes(), ''), toHex(READ_BASIC_DATA.toBytes(), '')], ROUNDS);
  const raw = summarize(probe.roundsUs.map((us) => us / 1000));

  // The in-process adapter (connection kept open, serialized queue), without the host's framing.
  const service = createPcscReaderService();
  await service.withCard((session) => readIdentity(session));
  const adapterSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    await service.withCard((session) => readIdentity(session));
    adapterSamples.push(ms(started, process.hrtime.bigint()));
  }
  await service.close();
  const adapter = summarize(adapterSamples);

  // (b) The host as a browser runs it: spawn -> hello, then readCard round trips over stdio.
  const spawnSamples: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    const host = spawnHost(hostBinary, [`chrome-extension://${CHROME_EXTENSION_ID}/`], env);
    await host.client.event('hello');
    spawnSamples.push(ms(started, process.hrtime.bigint()));
    host.client.end();
    await host.exited;
  }
  const host = spawnHost(hostBinary, [`chrome-extension://${CHROME_EXTENSION_ID}/`], env);
  await host.client.event('hello');
  await host.client.request('readCard');
  const hostSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const response = await host.client.request('readCard');
    hostSamples.push(ms(started, process.hrtime.bigint()));
    if (!('result' in response)) throw new Error(`readCard failed: ${JSON.stringify(response.error)}`);
  }
  const hostRoundTrip = summarize(hostSamples);
  // The legacy GetBasic the shim sends: SELECT, READ BASIC and READ HC (termination flag), three APDUs.
  const hostLegacySamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const response = await host.client.request('legacy', { line: 'GetBasic' });
    hostLegacySamples.push(ms(started, process.hrtime.bigint()));
    if (!('result' in response)) throw new Error(`legacy GetBasic failed: ${JSON.stringify(response.error)}`);
  }

  // Memory and idle CPU of the host with a reader attached and a card inserted.
  await sleep(1000);
  const idleRss = rssMiB(host.child.pid ?? 0);
  const ticksBefore = cpuTicks(host.child.pid ?? 0);
  await sleep(5000);
  const idleCpuPercent = ((cpuTicks(host.child.pid ?? 0) - ticksBefore) / 100 / 5) * 100;
  for (let read = 0; read < MEMORY_READS; read++) await host.client.request('readCard');
  await sleep(1000);
  const rssAfterReads = rssMiB(host.child.pid ?? 0);
  host.client.end();
  await host.exited;

  // The CLI as a person runs it: one process per read.
  const cliSamples: number[] = [];
  for (let run = 0; run < CLI_RUNS; run++) {
    const started = process.hrtime.bigint();
    await promisify(execFile)(hostBinary, ['read', '--json'], { env });
    cliSamples.push(ms(started, process.hrtime.bigint()));
  }

  Object.assign(results, {
    rawPcscSelectReadMs: raw,
    adapterReadMs: adapter,
    hostReadCardRoundTripMs: hostRoundTrip,
    hostLegacyGetBasicRoundTripMs: summarize(hostLegacySamples),
    hostOverheadOverRawMedianMs: round3(hostRoundTrip.median - raw.median),
    hostSpawnToHelloMs: summarize(spawnSamples),
    hostIdleRssMiB: idleRss,
    hostRssAfterReadsMiB: rssAfterReads,
    readsForMemory: MEMORY_READS,
    hostIdleCpuPercent: round3(idleCpuPercent),
    cliReadProcessMs: summarize(cliSamples),
  });
} finally {
  await rig.close();
}

// (c), (d), (e): the same card behind the extension, from pages on a production origin.
if (BROWSERS.length > 0) {
  results.browserMachineAtStart = describeMachine();
  const stack = await startE2eStack({ ports: BROWSERS.includes('firefox') ? 'production' : 'any-port' });
  try {
    const browsers = await measureBrowserPaths(stack, { browsers: BROWSERS, rounds: BROWSER_ROUNDS, restarts: 3, pageLoads: 10 });
    const raw = results.rawPcscSelectReadMs as Summary;
    const hostTrip = results.hostReadCardRoundTripMs as Summary;
    results.browserRounds = BROWSER_ROUNDS;
    results.browsers = browsers;
    results.browserOverheadMedianMs = Object.fromEntries(
      Object.entries(browsers).map(([name, figures]) => [
        name,
        {
          legacyOverRaw: round3(figures.legacyGetBasicMs.median - raw.median),
          legacyOverHostLegacy: round3(figures.legacyGetBasicMs.median - (results.hostLegacyGetBasicRoundTripMs as Summary).median),
          apiOverHost: round3(figures.apiReadCardMs.median - hostTrip.median),
        },
      ]),
    );
  } finally {
    await stack.close();
  }
}

console.log(JSON.stringify(results, null, 2));
await writeFile(join(root, 'docs', 'benchmarks.md'), markdown(results));

function markdown(figures: Record<string, unknown>): string {
  const row = (label: string, key: string): string => {
    const summary = figures[key] as Summary;
    return `| ${label} | ${round3(summary.median)} | ${round3(summary.p95)} | ${summary.n} |`;
  };
  const machine = figures.machine as Record<string, string | number>;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` on the virtual-card rig (private pcscd, vpcd, virtual NHI card),',
    `${figures.tcpNoDelayShim === true ? 'with' : 'WITHOUT'} the TCP_NODELAY shim on vpcd's sockets. Re-run it to refresh this page.`,
    '',
    `Machine: ${String(machine.cpu)}, ${String(machine.cores)} cores, ${String(machine.memoryGiB)} GiB, Node ${String(machine.node)};`,
    `load average ${String(machine.loadAverage1m)} (1 min) / ${String(machine.loadAverage5m)} (5 min) when the run started.`,
    '',
    '| measurement (ms) | median | p95 | n |',
    '|---|---|---|---|',
    row('(a) raw PC/SC SELECT + READ BASIC (C client)', 'rawPcscSelectReadMs'),
    row('adapter read in process (SELECT + READ, parse)', 'adapterReadMs'),
    row('(b) host `readCard` round trip over stdio', 'hostReadCardRoundTripMs'),
    row('host legacy `GetBasic` round trip over stdio (3 APDUs)', 'hostLegacyGetBasicRoundTripMs'),
    row('(e) host spawn -> first message (`hello`)', 'hostSpawnToHelloMs'),
    row('`nhi-card read --json`, whole process', 'cliReadProcessMs'),
    '',
    `Host overhead over raw PC/SC (median (b) - median (a)): **${String(figures.hostOverheadOverRawMedianMs)} ms**.`,
    '',
    `Host memory: ${String(figures.hostIdleRssMiB)} MiB RSS idle, ${String(figures.hostRssAfterReadsMiB)} MiB after ${String(figures.readsForMemory)} reads.`,
    `Host CPU while idle with a reader and card attached: ${String(figures.hostIdleCpuPercent)} % over 5 s.`,
    '',
    ...browserSection(figures),
  ].join('\n');
}

function browserSection(figures: Record<string, unknown>): string[] {
  const browsers = figures.browsers as Partial<Record<BrowserName, BrowserPathFigures>> | undefined;
  if (browsers === undefined) return [];
  const raw = figures.rawPcscSelectReadMs as Summary;
  const hostTrip = figures.hostReadCardRoundTripMs as Summary;
  const hostLegacy = figures.hostLegacyGetBasicRoundTripMs as Summary;
  const machine = figures.browserMachineAtStart as Record<string, string | number>;
  const cell = (summary: Summary | undefined): string => (summary === undefined ? '–' : `${round3(summary.median)} / ${round3(summary.p95)}`);
  const n = (pick: (figures: BrowserPathFigures) => Summary): string => String(Object.values(browsers).map((entry) => pick(entry).n)[0] ?? '');
  const row = (label: string, pick: (figures: BrowserPathFigures) => Summary): string =>
    `| ${label} | ${cell(browsers.chromium && pick(browsers.chromium))} | ${cell(browsers.firefox && pick(browsers.firefox))} | ${n(pick)} |`;
  const overhead = (name: BrowserName): string => {
    const entry = browsers[name];
    if (entry === undefined) return `${name}: not measured`;
    const overRaw = round3(entry.legacyGetBasicMs.median - raw.median);
    const overHostLegacy = round3(entry.legacyGetBasicMs.median - hostLegacy.median);
    return `${name} **${overRaw} ms** ((c) over the host's own legacy GetBasic: ${overHostLegacy} ms; (d) - (b): ${round3(entry.apiReadCardMs.median - hostTrip.median)} ms)`;
  };
  return [
    '## From a page, through the extension',
    '',
    'The same card from a page on `https://cloudicweb.nhi.gov.tw` (the replica site, production origin), headless',
    `Chromium and Firefox ESR with the built extension and host (test/e2e harness), consent granted and remembered first;`,
    `timed in the page with performance.now() (Firefox: privacy.reduceTimerPrecision off). Load average`,
    `${String(machine.loadAverage1m)} (1 min) / ${String(machine.loadAverage5m)} (5 min) when this part started.`,
    '',
    '| measurement (ms), median / p95 | Chromium | Firefox | n |',
    '|---|---|---|---|',
    `| (a) raw PC/SC SELECT + READ BASIC, for reference | ${cell(raw)} | ${cell(raw)} | ${raw.n} |`,
    `| (b) host \`readCard\` over stdio, for reference | ${cell(hostTrip)} | ${cell(hostTrip)} | ${hostTrip.n} |`,
    `| host legacy \`GetBasic\` over stdio (3 APDUs), for reference | ${cell(hostLegacy)} | ${cell(hostLegacy)} | ${hostLegacy.n} |`,
    row('(c) page -> legacy shim `GetBasic` -> page', (entry) => entry.legacyGetBasicMs),
    row('(d) page -> `window.nhiCard.readCard()` -> page', (entry) => entry.apiReadCardMs),
    row('(e) browser start -> first reply on a trusted page', (entry) => entry.browserStartToFirstReplyMs),
    row('(e) trusted page load -> first reply, host running', (entry) => entry.pageLoadToFirstReplyWarmMs),
    row('(e) trusted page load -> first reply, host not running', (entry) => entry.pageLoadToFirstReplyColdHostMs),
    '',
    `Extension overhead over raw PC/SC (median (c) - median (a)): ${overhead('chromium')}; ${overhead('firefox')}.`,
    '',
    '"Browser start" runs from launching the browser (profile on disk, host registered, consent remembered) to the first',
    'GetBasic reply, Node\'s clock, including the harness waiting for the extension on a trusted page. "Page load -> first',
    'reply" runs from the load event to the reply of a GetBasic sent right after it; the driver\'s call into the page is',
    'inside that interval, so it is an upper bound. "Host not running": the host was stopped (SIGTERM) before the',
    'navigation, so the content script\'s warm-up at document_start starts it while the page loads.',
    '',
  ];
}
