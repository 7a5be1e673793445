/**
 * `npm run bench`: latency, start-up and memory of the host on the virtual-card rig, side by side
 * with raw PC/SC in the same run, then the same reads from pages in Chromium and Firefox through
 * the extension (bench/browser-paths.ts). Prints JSON and writes docs/benchmarks.md.
 * Run it on an otherwise idle machine; the load average is recorded with the figures.
 * BENCH_BROWSERS=chromium,firefox (or none) picks the browsers; needs `npm run build` first.
 * BENCH_FIRST_USE_RUNS (default 5) fresh browsers per browser and delay for the first-page rows.
 * BENCH_INJECTED_FRAMES (20) and BENCH_INJECTED_LOADS (10) for the injected-scripts rows.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
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
import { ENCRYPT_LINE, measureBrowserPaths, SECURE_GET_BASIC_LINE } from './browser-paths';
import { HOST_NODE_FLAGS } from '../native-host/install/host-launcher';
import { FIRST_USE_DELAYS_MS, FIRST_USE_RUNS, measureFirstUse } from './first-use';
import { INJECTED_FRAMES, INJECTED_LOADS, measureInjected } from './injected-scripts';
import { snapshotExtensions } from '../test/e2e/extension-snapshot';
import { describeMachine } from './machine';
import { benchmarkMarkdown, KEPT_NOTES_MARKER, type BenchFigures } from './report';
import { round3, summarize } from './stats';

const root = join(import.meta.dirname, '..');
const hostBinary = join(root, 'dist', 'native-host', 'nhi-card');
const hostBundle = join(root, 'dist', 'native-host', 'nhi-card.cjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const MEMORY_READS = Number(process.env.BENCH_MEMORY_READS ?? 10_000);
const CLI_RUNS = 10;
/** Reads timed right after the card is (re-)inserted, each needing a remove + insert (~0.5 s). */
const FIRST_READ_ROUNDS = Number(process.env.BENCH_FIRST_READ_ROUNDS ?? 20);
/**
 * Idle time between paced requests: about what the browser's hops put between a page loop's
 * requests, during which the processes on the card's path (host, pcscd, vpcd, the card) sleep.
 */
const PACE_MS = 2;
const BROWSER_ROUNDS = Number(process.env.BENCH_BROWSER_ROUNDS ?? 300);
const BROWSER_INSERTIONS = Number(process.env.BENCH_BROWSER_INSERTIONS ?? 10);
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
  const selectRead = [toHex(SELECT_NHI_APPLET.toBytes(), ''), toHex(READ_BASIC_DATA.toBytes(), '')];
  const probe = await probeApdus(rig.env, reader, selectRead, ROUNDS);
  const raw = summarize(probe.roundsUs.map((us) => us / 1000));
  // The same with the card chain left idle between rounds for as long as a page's requests are apart.
  const pacedProbe = await probeApdus(rig.env, reader, selectRead, ROUNDS, PACE_MS);
  const rawPaced = summarize(pacedProbe.roundsUs.map((us) => us / 1000));

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
  await host.client.request('subscribe');
  // Before any command: what a browser's host holds while nobody uses the card.
  await sleep(1000);
  const freshIdleRss = rssMiB(host.child.pid ?? 0);
  const timed = async (command: 'readCard' | 'legacy', args: Record<string, unknown> = {}): Promise<number> => {
    const started = process.hrtime.bigint();
    const response = await host.client.request(command, args);
    const elapsed = ms(started, process.hrtime.bigint());
    if (!('result' in response)) throw new Error(`${command} failed: ${JSON.stringify(response.error)}`);
    return elapsed;
  };
  /** Pulls the card and inserts it again, and waits until the host has seen it: its memo of the card is gone. */
  const reinsert = async (): Promise<void> => {
    const seen = host.client.waitFor((message) => 'event' in message && message.event === 'card-inserted', 10_000, 'card-inserted');
    await rig.removeCard(0);
    await rig.insertCard(0, 'demo');
    await seen;
  };
  // The first read after an insertion goes to the card: readCard is SELECT + READ BASIC, the legacy
  // GetBasic adds READ HC (the termination flag). Every later read of that insertion is answered from
  // the host's memo of it.
  const firstReadSamples: number[] = [];
  const firstLegacySamples: number[] = [];
  for (let round = 0; round < FIRST_READ_ROUNDS; round++) {
    await reinsert();
    firstReadSamples.push(await timed('readCard'));
    await reinsert();
    firstLegacySamples.push(await timed('legacy', { line: 'GetBasic' }));
  }
  const hostFirstRead = summarize(firstReadSamples);
  const hostSamples: number[] = [];
  const hostLegacySamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) hostSamples.push(await timed('readCard'));
  for (let round = 0; round < ROUNDS; round++) hostLegacySamples.push(await timed('legacy', { line: 'GetBasic' }));
  const hostEncryptSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) hostEncryptSamples.push(await timed('legacy', { line: ENCRYPT_LINE }));
  const hostLines: Record<string, number[]> = { GetVersion: [], GetRandom: [], [SECURE_GET_BASIC_LINE]: [] };
  for (const [line, samples] of Object.entries(hostLines)) for (let round = 0; round < ROUNDS; round++) samples.push(await timed('legacy', { line }));
  const pacedLines: Record<string, number[]> = { GetVersion: [], [ENCRYPT_LINE]: [] };
  for (const [line, samples] of Object.entries(pacedLines)) {
    for (let round = 0; round < ROUNDS; round++) {
      samples.push(await timed('legacy', { line }));
      await sleep(PACE_MS);
    }
  }

  // Memory and idle CPU of the host with a reader attached and a card inserted.
  await sleep(1000);
  const idleRss = rssMiB(host.child.pid ?? 0);
  const ticksBefore = cpuTicks(host.child.pid ?? 0);
  await sleep(5000);
  const idleCpuPercent = ((cpuTicks(host.child.pid ?? 0) - ticksBefore) / 100 / 5) * 100;
  // Reads that reach the card (EnCrypt: SELECT + READ CARD ID) and reads answered from the memo, alternately.
  for (let read = 0; read < MEMORY_READS; read++) {
    await host.client.request('readCard');
    await host.client.request('legacy', { line: 'EnCrypt?Pwd=abc123' });
  }
  await sleep(1000);
  const rssAfterReads = rssMiB(host.child.pid ?? 0);

  // The same host without V8's lite mode (the optimizing compiler on), running beside it: EnCrypt in
  // alternating blocks of both, since whichever runs first measures slower on this machine; then
  // memory after as many EnCrypts as the memory loop above sent.
  const fullHost = spawnHost(process.execPath, [...HOST_NODE_FLAGS.filter((flag) => flag !== '--lite-mode'), hostBundle, `chrome-extension://${CHROME_EXTENSION_ID}/`], env);
  await fullHost.client.event('hello');
  await fullHost.client.request('subscribe');
  await sleep(1000);
  const fullFreshIdleRss = rssMiB(fullHost.child.pid ?? 0);
  for (let round = 0; round < ROUNDS; round++) await fullHost.client.request('legacy', { line: ENCRYPT_LINE });
  const alternated = { lite: [] as number[], full: [] as number[] };
  const encryptBlock = async (client: typeof host.client, samples: number[]): Promise<void> => {
    for (let round = 0; round < ROUNDS / 10; round++) {
      const started = process.hrtime.bigint();
      await client.request('legacy', { line: ENCRYPT_LINE });
      samples.push(ms(started, process.hrtime.bigint()));
    }
  };
  for (let block = 0; block < 10; block++) {
    const pair = [() => encryptBlock(host.client, alternated.lite), () => encryptBlock(fullHost.client, alternated.full)];
    for (const run of block % 2 === 0 ? pair : pair.reverse()) await run();
  }
  host.client.end();
  await host.exited;
  for (let read = 0; read < MEMORY_READS; read++) {
    await fullHost.client.request('readCard');
    await fullHost.client.request('legacy', { line: 'EnCrypt?Pwd=abc123' });
  }
  await sleep(1000);
  const fullRssAfterReads = rssMiB(fullHost.child.pid ?? 0);
  fullHost.client.end();
  await fullHost.exited;

  // The CLI as a person runs it: one process per read.
  const cliSamples: number[] = [];
  for (let run = 0; run < CLI_RUNS; run++) {
    const started = process.hrtime.bigint();
    await promisify(execFile)(hostBinary, ['read', '--json'], { env });
    cliSamples.push(ms(started, process.hrtime.bigint()));
  }

  Object.assign(results, {
    rawPcscSelectReadMs: raw,
    paceMs: PACE_MS,
    rawPcscSelectReadPacedMs: rawPaced,
    hostGetVersionPacedMs: summarize(pacedLines.GetVersion ?? []),
    hostEncryptPacedMs: summarize(pacedLines[ENCRYPT_LINE] ?? []),
    adapterReadMs: adapter,
    hostFirstReadCardMs: hostFirstRead,
    hostFirstLegacyGetBasicMs: summarize(firstLegacySamples),
    hostReadCardRoundTripMs: summarize(hostSamples),
    hostLegacyGetBasicRoundTripMs: summarize(hostLegacySamples),
    hostEncryptRoundTripMs: summarize(hostEncryptSamples),
    hostGetVersionRoundTripMs: summarize(hostLines.GetVersion ?? []),
    hostGetRandomRoundTripMs: summarize(hostLines.GetRandom ?? []),
    hostSecureGetBasicRoundTripMs: summarize(hostLines[SECURE_GET_BASIC_LINE] ?? []),
    hostLiteModeEncryptAlternatedMs: summarize(alternated.lite),
    hostWithoutLiteModeEncryptRoundTripMs: summarize(alternated.full),
    hostWithoutLiteModeFreshIdleRssMiB: fullFreshIdleRss,
    hostWithoutLiteModeRssAfterReadsMiB: fullRssAfterReads,
    hostFreshIdleRssMiB: freshIdleRss,
    hostOverheadOverRawMedianMs: round3(hostFirstRead.median - raw.median),
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
    results.browserRounds = BROWSER_ROUNDS;
    results.browsers = await measureBrowserPaths(stack, { browsers: BROWSERS, rounds: BROWSER_ROUNDS, restarts: 3, pageLoads: 10, insertions: BROWSER_INSERTIONS });
    const extensions = await snapshotExtensions(BROWSERS);
    try {
      results.firstUseMachineAtStart = describeMachine();
      results.firstUse = await measureFirstUse(stack, { browsers: BROWSERS, delaysMs: FIRST_USE_DELAYS_MS, runs: FIRST_USE_RUNS, extensionDirFor: (name) => extensions.dirFor(name) });
      results.injectedMachineAtStart = describeMachine();
      results.injected = await measureInjected(stack, { browsers: BROWSERS, frames: INJECTED_FRAMES, loads: INJECTED_LOADS, extensionDirFor: (name) => extensions.dirFor(name) });
    } finally {
      await extensions.remove();
    }
  } finally {
    await stack.close();
  }
}

results.machineAtEnd = describeMachine();
console.log(JSON.stringify(results, null, 2));
// The hand-written notes at the end of the page (history, comparisons) survive a new run.
const page = join(root, 'docs', 'benchmarks.md');
const previous = await readFile(page, 'utf8').catch(() => '');
const kept = previous.includes(KEPT_NOTES_MARKER) ? previous.slice(previous.indexOf(KEPT_NOTES_MARKER)) : '';
await writeFile(page, kept === '' ? benchmarkMarkdown(results as unknown as BenchFigures) : `${benchmarkMarkdown(results as unknown as BenchFigures)}\n${kept}`);
