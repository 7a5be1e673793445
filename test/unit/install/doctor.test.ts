import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDoctorReport, runDoctor, type DoctorContext } from '../../../native-host/install/doctor';
import { userDirs } from '../../../native-host/install/host-locations';
import { buildHostManifest, serializeHostManifest } from '../../../native-host/install/host-manifest';
import type { ProbeRequest, ProbeResult } from '../../../native-host/install/host-probe';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ErrorCode } from '../../../native-host/protocol/error-codes';

let home: string;
let launcher: string;
let probes: ProbeRequest[];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'nhi-doctor-'));
  launcher = join(home, 'nhi-card');
  writeFileSync(launcher, '#!/bin/sh\n');
  chmodSync(launcher, 0o755);
  probes = [];
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const READER = { name: 'Virtual PCD 00 00', cardPresent: true, atr: '3B' };

function context(overrides: Partial<DoctorContext> = {}): DoctorContext {
  return {
    platform: 'linux',
    dirs: userDirs('linux', home, {}, true),
    userDataDir: undefined,
    registry: { run: () => Promise.reject(new Error('not on Windows')) },
    env: {},
    probe: (request) => {
      probes.push(request);
      return Promise.resolve<ProbeResult>({ ok: true, host: '0.1.0', protocol: 1, ms: 12 });
    },
    probeTimeoutMs: 1000,
    listReaders: () => Promise.resolve([READER]),
    runtime: { node: 'v22.23.3', flags: ['--lite-mode'] },
    ...overrides,
  };
}

function register(relativeDirectory: string, text: string): string {
  const directory = join(home, relativeDirectory);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'tw.nhi_card_bridge.json'), text);
  return join(directory, 'tw.nhi_card_bridge.json');
}

describe('runDoctor', () => {
  it('reports a healthy per-user registration, starts its host as each browser family would, and lists readers', async () => {
    const chromium = register('.config/chromium/NativeMessagingHosts', serializeHostManifest(buildHostManifest('chromium', launcher)));
    const firefox = register('.mozilla/native-messaging-hosts', serializeHostManifest(buildHostManifest('firefox', launcher)));
    const report = await runDoctor(context());
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.registrations.map((r) => [r.browser, r.scope, r.where, r.launcher])).toEqual([
      ['chromium', 'user', chromium, launcher],
      ['firefox', 'user', firefox, launcher],
    ]);
    expect(probes.map((probe) => [probe.family, probe.launcherPath, probe.manifestPath])).toEqual([
      ['chromium', launcher, chromium],
      ['firefox', launcher, firefox],
    ]);
    expect(report.hosts.map((host) => host.version)).toEqual(['0.1.0', '0.1.0']);
    expect(report.pcsc).toEqual({ ok: true, readers: [{ name: READER.name, cardPresent: true }] });
  });

  it('checks a --user-data-dir profile too', async () => {
    const profile = join(home, 'profile');
    register('profile/NativeMessagingHosts', serializeHostManifest(buildHostManifest('chromium', launcher)));
    const report = await runDoctor(context({ userDataDir: profile }));
    expect(report.registrations.map((r) => r.scope)).toEqual(['profile']);
  });

  it.each([
    ['a missing launcher', () => serializeHostManifest(buildHostManifest('chromium', join(home, 'gone'))), /does not exist/, /nhi-card install/],
    [
      'a launcher that is not executable',
      () => {
        chmodSync(launcher, 0o644);
        return serializeHostManifest(buildHostManifest('chromium', launcher));
      },
      /is not executable/,
      /chmod 755/,
    ],
    ['a relative launcher path', () => serializeHostManifest(buildHostManifest('chromium', 'nhi-card')), /is relative/, /nhi-card install/],
    [
      'a manifest that does not allow our extension',
      () => JSON.stringify({ name: 'tw.nhi_card_bridge', path: launcher, type: 'stdio', allowed_origins: ['chrome-extension://aaaabbbbccccddddaaaabbbbccccdddd/'] }),
      /does not list the NHI Card Bridge extension in allowed_origins/,
      /nhi-card install/,
    ],
    ['broken JSON', () => '{', /is not valid JSON/, /delete it/],
  ])('finds %s and says how to fix it, without starting that host', async (_case, manifest, problem, fix) => {
    register('.config/chromium/NativeMessagingHosts', manifest());
    const report = await runDoctor(context());
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ problem: expect.stringMatching(problem) as unknown, fix: expect.stringMatching(fix) as unknown }]);
    expect(probes).toEqual([]);
  });

  it('reports a host that does not say hello', async () => {
    register('.config/chromium/NativeMessagingHosts', serializeHostManifest(buildHostManifest('chromium', launcher)));
    const report = await runDoctor(context({ probe: () => Promise.resolve({ ok: false, reason: 'no answer within 1000 ms', ms: 1000 }) }));
    expect(report.problems).toEqual([{ problem: expect.stringContaining('did not say hello: no answer within 1000 ms') as unknown, fix: expect.stringContaining('--version') as unknown }]);
  });

  it('says to run install when nothing is registered', async () => {
    const report = await runDoctor(context());
    expect(report.problems).toEqual([{ problem: 'the host is not registered with any browser', fix: expect.stringContaining('nhi-card install') as unknown }]);
  });

  it.each([
    ['pcscd is not reachable', new NhiCardError(ErrorCode.PcscUnavailable, 'no service'), 'the PC/SC service (pcscd) is not reachable', /systemctl enable --now pcscd.socket/],
    ['there is no reader', new NhiCardError(ErrorCode.NoReader, 'none'), 'no card reader found', /plug the card reader in/],
  ])('reports when %s', async (_case, error, problem, fix) => {
    register('.config/chromium/NativeMessagingHosts', serializeHostManifest(buildHostManifest('chromium', launcher)));
    const report = await runDoctor(context({ listReaders: () => Promise.reject(error) }));
    expect(report.pcsc.ok).toBe(false);
    expect(report.problems).toEqual([{ problem, fix: expect.stringMatching(fix) as unknown }]);
  });

  it.each([
    ['the smart card service is not running', new NhiCardError(ErrorCode.PcscUnavailable, 'no service'), 'the Windows smart card service is not running', /^plug in the card reader, then try again/],
    ['PC/SC fails otherwise', new NhiCardError(ErrorCode.PcscError, 'PC/SC list readers failed (0x80100001)'), 'PC/SC failed: PC/SC list readers failed (0x80100001)', /plug it in again/],
  ])('on Windows, reports when %s without naming pcscd', async (_case, error, problem, fix) => {
    const report = await runDoctor(context({
      platform: 'win32',
      dirs: userDirs('win32', 'C:\\Users\\a', {}, true),
      // Nothing registered: every key is missing.
      registry: { run: () => Promise.resolve({ code: 1, stdout: '' }) },
      listReaders: () => Promise.reject(error),
    }));
    expect(report.pcsc.problem).toEqual({ problem, fix: expect.stringMatching(fix) as unknown });
    expect(JSON.stringify(report.pcsc)).not.toContain('pcscd');
  });

  it('reports an empty reader list as no reader', async () => {
    register('.mozilla/native-messaging-hosts', serializeHostManifest(buildHostManifest('firefox', launcher)));
    const report = await runDoctor(context({ listReaders: () => Promise.resolve([]) }));
    expect(report.problems.map((p) => p.problem)).toEqual(['no card reader found']);
  });
});

describe('formatDoctorReport', () => {
  it('lists every problem with its fix', async () => {
    const report = await runDoctor(context({ listReaders: () => Promise.reject(new NhiCardError(ErrorCode.PcscUnavailable, 'x')) }));
    const text = formatDoctorReport(report).join('\n');
    expect(text).toContain('2 problem(s):');
    expect(text).toContain('  - the host is not registered with any browser\n    fix: run `nhi-card install`');
    expect(text).toContain('PROBLEM the PC/SC service (pcscd) is not reachable');
  });

  it('starts with the runtime and its flags', async () => {
    const report = await runDoctor(context());
    expect(report.runtime).toEqual({ node: 'v22.23.3', flags: ['--lite-mode'] });
    expect(formatDoctorReport(report)[0]).toBe('Runtime: Node.js v22.23.3 (--lite-mode)');
  });
});
