/**
 * `npm run bench`: latency, start-up and memory of the host on the virtual-card rig, side by side
 * with raw PC/SC in the same run. Prints JSON and writes docs/benchmarks.md.
 * Run it on an otherwise idle machine; the load average is recorded with the figures.
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
import { describeMachine } from './machine';
import { round3, summarize, type Summary } from './stats';

const root = join(import.meta.dirname, '..');
const hostBinary = join(root, 'dist', 'native-host', 'nhi-card');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const MEMORY_READS = Number(process.env.BENCH_MEMORY_READS ?? 10_000);
const CLI_RUNS = 10;

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
    row('(e) host spawn -> first message (`hello`)', 'hostSpawnToHelloMs'),
    row('`nhi-card read --json`, whole process', 'cliReadProcessMs'),
    '',
    `Host overhead over raw PC/SC (median (b) - median (a)): **${String(figures.hostOverheadOverRawMedianMs)} ms**.`,
    '',
    `Host memory: ${String(figures.hostIdleRssMiB)} MiB RSS idle, ${String(figures.hostRssAfterReadsMiB)} MiB after ${String(figures.readsForMemory)} reads.`,
    `Host CPU while idle with a reader and card attached: ${String(figures.hostIdleCpuPercent)} % over 5 s.`,
    '',
  ].join('\n');
}
