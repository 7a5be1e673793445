import { describe, expect, it } from 'vitest';
import { acceptedHostFlags, launcherCandidates, windowsLauncherScript } from '../../../native-host/install/host-launcher';

describe('host launchers', () => {
  it.each([
    ['Linux', 'linux', '/usr/lib/nhi-card-bridge', ['/usr/lib/nhi-card-bridge/nhi-card-host', '/usr/lib/nhi-card-bridge/nhi-card']],
    ['macOS', 'darwin', '/Users/m/nhi/dist/native-host', ['/Users/m/nhi/dist/native-host/nhi-card-host', '/Users/m/nhi/dist/native-host/nhi-card']],
    ['Windows', 'win32', 'C:\\nhi\\dist\\native-host', ['C:\\nhi\\dist\\native-host\\nhi-card-host.cmd']],
  ] as const)('on %s, looks beside the bundle', (_os, platform, directory, candidates) => {
    expect(launcherCandidates(platform, directory)).toEqual(candidates);
  });

  it('writes a Windows launcher naming Node and the bundle by absolute path and passing every argument', () => {
    const script = windowsLauncherScript('C:\\Program Files\\nodejs\\node.exe', 'C:\\nhi\\dist\\native-host\\nhi-card.cjs');
    expect(script.split('\r\n')).toEqual([
      '@echo off',
      'rem NHI Card Bridge host launcher (written by nhi-card install)',
      '"C:\\Program Files\\nodejs\\node.exe" --lite-mode --no-expose-wasm "C:\\nhi\\dist\\native-host\\nhi-card.cjs" %*',
      '',
    ]);
  });
});

describe('the host flags a packaged runtime accepts', () => {
  it('tries each flag alone and keeps the ones the runtime starts with', () => {
    const tried: string[][] = [];
    // Like Node 26: its V8 has no --expose-wasm, so it refuses --no-expose-wasm.
    const flags = acceptedHostFlags((args) => {
      tried.push([...args]);
      return args[0] !== '--no-expose-wasm';
    });
    expect(flags).toEqual(['--lite-mode']);
    expect(tried).toEqual([
      ['--lite-mode', '-e', '0'],
      ['--no-expose-wasm', '-e', '0'],
    ]);
  });
});
