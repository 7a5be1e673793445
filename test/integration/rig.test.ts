import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureProfile } from '../fixtures/profiles.js';
import { probeApdus } from '../rig/apdu-probe.js';
import { waitUntil } from '../rig/readiness.js';
import { startRig, type Rig } from '../rig/rig.js';
import { toHex } from '../sim/virtual-card/command-apdu.js';
import { encodeBasicRecord } from '../sim/virtual-card/profile.js';

const execFileAsync = promisify(execFile);
const SELECT = '00A4040010D1580000010000000000000000001100';
const READ_BASIC = '00CA1100020000';
const demoRecord = toHex(encodeBasicRecord(fixtureProfile('demo')));

async function pcscScan(rig: Rig, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('pcsc_scan', args, { env: { ...process.env, ...rig.env }, timeout: 10_000 });
  return stdout;
}

/** Processes whose command line mentions `needle` (pcscd runs as `pcscd -f -c <rig dir>/...`). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('test rig: private pcscd + vpcd + virtual card', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig();
  });

  afterAll(async () => {
    await rig.close();
  });

  it('starts pcscd on a private socket with two vpcd readers', async () => {
    expect(rig.pcscdRunning).toBe(true);
    expect(existsSync(rig.socketPath)).toBe(true);
    expect(rig.readerNames).toEqual(['Virtual PCD 00 00', 'Virtual PCD 00 01']);
    const listing = await pcscScan(rig, ['-r']);
    expect(listing).toContain('0: Virtual PCD 00 00');
    expect(listing).toContain('1: Virtual PCD 00 01');
    console.info(`pcscd start (spawn to ready): ${rig.lastStartMs.toFixed(1)} ms`);
  });

  it('shows an inserted card with its ATR in pcscd', async () => {
    const started = performance.now();
    const card = await rig.insertCard(1, 'demo');
    console.info(`insert to powered up: ${(performance.now() - started).toFixed(1)} ms`);
    const scan = await pcscScan(rig, ['-c', '-n', '-t', '1']);
    expect(scan).toMatch(/Reader 1: Virtual PCD 00 01\n\s+Event number: \d+\n\s+Card state: Card inserted/);
    expect(scan).toContain('ATR: 3B FC 18 00 00 81 31 FE 45 80 73 C8 21 13 66 02 04 03 55 00 02 D2');
    await rig.removeCard(1);
    expect(card.removed).toBe(true);
  });

  it('answers SELECT + READ BASIC through pcscd, logged in order', async () => {
    const card = await rig.insertCard(0, 'demo');
    const result = await probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC]);
    expect(result.responses).toEqual(['9000', `${demoRecord}9000`]);
    expect(card.apduLog.map((entry) => [entry.command, entry.response])).toEqual([
      [SELECT, '9000'],
      [READ_BASIC, `${demoRecord}9000`],
    ]);
    await rig.removeCard(0);
  });

  it('passes T=0 61XX answers through unchanged, for the bridge to fetch with GET RESPONSE', async () => {
    await rig.insertCard(0, { profile: fixtureProfile('demo'), t0: true });
    const result = await probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC, '00C0000039']);
    expect(result.responses).toEqual(['9000', '6139', `${demoRecord}9000`]);
    await rig.removeCard(0);
  });

  it('answers SELECT + READ BASIC at the behaviour level of an inserted card', async () => {
    const card = await rig.insertCard(0, 'roc-under-100');
    expect(toHex(card.behaviour.respond(Uint8Array.from(Buffer.from(SELECT, 'hex'))))).toBe('9000');
    const answer = toHex(card.behaviour.respond(Uint8Array.from(Buffer.from(READ_BASIC, 'hex'))));
    expect(answer).toBe(`${toHex(encodeBasicRecord(fixtureProfile('roc-under-100')))}9000`);
    await rig.removeCard(0);
  });

  it('reports a removed card to PC/SC clients once removeCard resolves', async () => {
    await rig.insertCard(0, 'demo');
    await rig.removeCard(0);
    const scan = await pcscScan(rig, ['-c', '-n', '-t', '1']);
    expect(scan).toMatch(/Reader 0: Virtual PCD 00 00\n\s+Event number: \d+\n\s+Card state: Card removed/);
    await expect(probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT])).rejects.toThrow(/SCardConnect.*(No smart card|0x8010000C)/);
  });

  it('sees a card swapped right after removal as a new insertion', async () => {
    const first = await rig.insertCard(0, 'demo');
    await first.remove(); // bypasses the rig's wait: insertCard must still cope
    const second = await rig.insertCard(0, 'eten-name');
    const result = await probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC]);
    expect(result.responses[1]).toBe(`${toHex(encodeBasicRecord(fixtureProfile('eten-name')))}9000`);
    expect(second.apduLog).toHaveLength(2);
    await rig.removeCard(0);
  });

  it('round-trips SELECT + READ BASIC in well under a millisecond with the TCP_NODELAY shim', async () => {
    expect(rig.shimPath).toBeDefined();
    await rig.insertCard(0, 'demo');
    const result = await probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC], 200);
    const medianUs = median(result.roundsUs);
    console.info(`SELECT+READ BASIC through pcscd with TCP_NODELAY shim: median ${medianUs.toFixed(0)} us over 200 rounds`);
    expect(medianUs).toBeLessThan(10_000);
    await rig.removeCard(0);
  });

  it('pays the Nagle/delayed-ACK penalty without the shim (why the rig preloads it)', async () => {
    const plain = await startRig({ tcpNoDelay: false, socketPath: `${rig.dir}-plain.comm` });
    try {
      await plain.insertCard(0, 'demo');
      const result = await probeApdus(plain.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC], 5);
      const medianUs = median(result.roundsUs);
      console.info(`SELECT+READ BASIC through pcscd WITHOUT the shim: median ${medianUs.toFixed(0)} us over 5 rounds`);
      expect(medianUs).toBeGreaterThan(20_000);
    } finally {
      await plain.close();
    }
  });

  it('refuses a second rig on the per-process socket while one is open', async () => {
    await expect(startRig()).rejects.toThrow(/already open in this process/);
  });

  it('survives a pcscd restart on the same socket; cards must be re-inserted', async () => {
    const card = await rig.insertCard(0, 'demo');
    const oldPid = rig.pcscdPid;
    await rig.stopPcscd({ signal: 'SIGKILL' });
    expect(card.removed).toBe(true);
    expect(rig.card(0)).toBeUndefined();
    expect(rig.pcscdRunning).toBe(false);
    await expect(rig.insertCard(0, 'demo')).rejects.toThrow(/not running/);
    await rig.startPcscd();
    expect(rig.pcscdPid).not.toBe(oldPid);
    await rig.insertCard(0, 'space-padded');
    const result = await probeApdus(rig.env, 'Virtual PCD 00 00', [SELECT, READ_BASIC]);
    expect(result.responses[1]).toBe(`${toHex(encodeBasicRecord(fixtureProfile('space-padded')))}9000`);
    await rig.removeCard(0);
  });

  it('leaves no pcscd and no temp dir after close, and close is idempotent', async () => {
    const other = await startRig({ socketPath: `${rig.dir}-other.comm` });
    const pid = other.pcscdPid;
    expect(pid).toBeDefined();
    await other.insertCard(0, 'demo');
    await other.close();
    await other.close();
    expect(alive(pid ?? -1)).toBe(false);
    expect(processesMentioning(other.dir)).toEqual([]);
    expect(existsSync(other.dir)).toBe(false);
  });

  it.each([
    ['exits by itself', ['exit'], undefined],
    ['is killed with SIGTERM', [], 'SIGTERM'],
    ['is killed with SIGKILL', [], 'SIGKILL'],
  ] as const)('kills the pcscd of a process that %s without closing its rig', async (_name, args, signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/rig/abandoned-rig.ts', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(output);
      });
      child.once('exit', () => {
        reject(new Error(`abandoned-rig exited early: ${output}`));
      });
    });
    const info = JSON.parse(line) as { pid: number; dir: string };
    expect(alive(info.pid)).toBe(true);
    if (signal !== undefined) child.kill(signal);
    await waitUntil(() => Promise.resolve(!alive(info.pid)), { what: `pcscd ${info.pid} to die`, timeoutMs: 5000 });
    if (signal !== 'SIGKILL') expect(existsSync(info.dir)).toBe(false);
  });
});
