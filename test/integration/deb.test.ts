/**
 * The Debian package on a clean Debian 12: built with scripts/package-deb.ts, installed with
 * `dpkg -i` + `apt-get install -f` into a debootstrapped minbase bookworm root (cached under
 * /var/cache/nhi-card-bridge-test, so only the first run pays for debootstrap), used from its
 * installed location against the rig's pcscd (the socket is created inside the chroot), then
 * purged with nothing left behind. Needs root (chroot), debootstrap and a Debian mirror.
 */
import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFamily, type Browser } from '../../native-host/install/browsers';
import type { DoctorReport } from '../../native-host/install/doctor';
import { DEB_LAUNCHER_PATH } from '../../native-host/install/host-launcher';
import { buildHostManifest, serializeHostManifest } from '../../native-host/install/host-manifest';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { NODE_LINUX_X64 } from '../../packaging/node-runtime';
import { DEMO_IDENTITY } from '../fixtures/profiles';
import { startRig, type Rig } from '../rig/rig';
import { check, ensureMinbaseRoot, isRoot as runningAsRoot, MINBASE_ROOT, RootCopy, run } from '../support/debian-root';
import { spawnHost, type SpawnedHost } from '../support/host-client';

const REPO = new URL('../..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
/** Inside the chroot; the rig's pcscd (outside) listens on the same file. */
const CHROOT_SOCKET = '/run/nhi-rig/pcscd.comm';
const PACKAGED: readonly [Browser, string][] = [
  ['chromium', '/etc/chromium/native-messaging-hosts'],
  ['chrome', '/etc/opt/chrome/native-messaging-hosts'],
  ['edge', '/etc/opt/edge/native-messaging-hosts'],
  ['brave', '/etc/brave/native-messaging-hosts'],
  ['firefox', '/usr/lib/mozilla/native-messaging-hosts'],
];
const isRoot = runningAsRoot();

let copy: RootCopy;
let root: string;
let debFile: string;
let rig: Rig;
let before: Set<string>;
const hosts: SpawnedHost[] = [];

function inChroot(command: readonly string[], env: Record<string, string> = {}): ReturnType<RootCopy['run']> {
  return copy.run(command, env);
}

/** Like inChroot, without blocking this process (the virtual card answers from its event loop). */
function inChrootAsync(command: readonly string[], env: Record<string, string> = {}): ReturnType<RootCopy['runAsync']> {
  return copy.runAsync(command, env);
}

/** A file of the root, following symlinks as they resolve inside the root. */
function readInRoot(path: string): string {
  return copy.read(path);
}

describe.skipIf(!isRoot)('the Debian package on a clean Debian 12 root (needs root)', () => {
  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/native-host/nhi-card.cjs'))) throw new Error('dist/ is missing: run `npm run build` first');
    check(run('npx', ['tsx', join(REPO, 'scripts/package-deb.ts')], 600_000), 'scripts/package-deb.ts');
    const arch = check(run('dpkg', ['--print-architecture']), 'dpkg').trim();
    debFile = join(REPO, 'dist', `nhi-card-bridge_${VERSION}-1_${arch}.deb`);
    expect(existsSync(debFile)).toBe(true);

    ensureMinbaseRoot();
    copy = new RootCopy(MINBASE_ROOT);
    root = copy.root;
    cpSync(debFile, join(root, 'tmp/nhi-card-bridge.deb'));
    check(inChroot(['apt-get', 'update', '-qq']), 'apt-get update');
    before = copy.snapshot();

    rig = await startRig({ readers: 2, socketPath: join(root, CHROOT_SOCKET) });
    await rig.insertCard(0, 'demo');
  }, 900_000);

  afterAll(async () => {
    for (const host of hosts) host.kill();
    await (rig as Rig | undefined)?.close();
    // remove() refuses while anything is mounted in the root, so removing it cannot reach outside.
    (copy as RootCopy | undefined)?.remove();
  });

  it('installs with dpkg -i, its dependencies coming from apt-get install -f', () => {
    const dpkg = inChroot(['dpkg', '-i', '/tmp/nhi-card-bridge.deb']);
    expect(dpkg.stderr).toMatch(/dependency problems|depends on/); // a clean root lacks pcscd and libpcsclite1
    check(inChroot(['apt-get', 'install', '-f', '-y', '-qq', '--no-install-recommends']), 'apt-get install -f');
    expect(check(inChroot(['dpkg-query', '-W', '-f=${Status} ${Version}', 'nhi-card-bridge']), 'dpkg-query')).toBe(`install ok installed ${VERSION}-1`);
    // The system Node.js is not needed (Debian 12's would be 18).
    expect(existsSync(join(root, 'usr/bin/node'))).toBe(false);
    // The packaged runtime is the pinned, supported LTS build, and nhi-card --version names it.
    expect(check(inChroot(['nhi-card', '--version']), 'nhi-card --version').trim()).toBe(`${VERSION} (Node.js v${NODE_LINUX_X64.version})`);
  });

  it('installs the runtime, launcher, manifests and extensions with the right modes', () => {
    const mode = (path: string): number => statSync(join(root, path)).mode & 0o777;
    expect(mode('usr/lib/nhi-card-bridge/node')).toBe(0o755);
    expect(mode(DEB_LAUNCHER_PATH.slice(1))).toBe(0o755);
    expect(mode('usr/lib/nhi-card-bridge/nhi-card.cjs')).toBe(0o644);
    expect(readlinkSync(join(root, 'usr/bin/nhi-card'))).toBe('../lib/nhi-card-bridge/nhi-card-host');
    expect(existsSync(join(root, 'usr/lib/nhi-card-bridge/node_modules/pcsclite/build/Release/pcsclite.node'))).toBe(true);
    for (const [browser, directory] of PACKAGED) {
      const manifest = `${directory}/tw.nhi_card_bridge.json`;
      expect(readInRoot(manifest), browser).toBe(serializeHostManifest(buildHostManifest(browserFamily(browser), DEB_LAUNCHER_PATH)));
      // Chrome and Edge (under /etc/opt) are symlinks made by postinst; the others are conffiles.
      expect(lstatSync(join(root, manifest)).isSymbolicLink(), browser).toBe(directory.startsWith('/etc/opt/'));
    }
    expect(statSync(join(root, 'usr/share/nhi-card-bridge/native-messaging-hosts/chromium/tw.nhi_card_bridge.json')).mode & 0o777).toBe(0o644);
    expect(check(inChroot(['cat', '/var/lib/dpkg/info/nhi-card-bridge.conffiles']), 'conffiles').trim().split('\n')).toEqual([
      '/etc/chromium/native-messaging-hosts/tw.nhi_card_bridge.json',
      '/etc/brave/native-messaging-hosts/tw.nhi_card_bridge.json',
    ]);
    for (const flavour of ['chrome', 'firefox']) expect(existsSync(join(root, 'usr/share/nhi-card-bridge', flavour, 'manifest.json'))).toBe(true);
    // Firefox's system-scope add-on directory, named by gecko id, as Debian's webext-*-firefox packages ship it.
    const firefoxAddon = `usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/${GECKO_EXTENSION_ID}`;
    expect(lstatSync(join(root, firefoxAddon)).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(root, firefoxAddon, 'manifest.json'), 'utf8'))).toMatchObject({ browser_specific_settings: { gecko: { id: GECKO_EXTENSION_ID } } });
    expect(readlinkSync(join(root, 'usr/share/nhi-card-bridge/firefox'))).toBe(`../mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/${GECKO_EXTENSION_ID}`);
    expect(readlinkSync(join(root, 'usr/share/chromium/extensions/nhi-card-bridge'))).toBe('../../nhi-card-bridge/chrome');
    expect(existsSync(join(root, 'usr/share/doc/nhi-card-bridge/copyright'))).toBe(true);
    expect(existsSync(join(root, 'usr/share/doc/nhi-card-bridge/changelog.Debian.gz'))).toBe(true);
  });

  it('reads the virtual card with the installed nhi-card, from a bare environment', async () => {
    const result = await inChrootAsync(['nhi-card', 'read', '--json'], { PCSCLITE_CSOCK_NAME: CHROOT_SOCKET });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ...DEMO_IDENTITY, reader: rig.readerNames[0] });
  });

  it('doctor finds the system-wide registrations, starts the installed host, and reaches pcscd', async () => {
    const result = await inChrootAsync(['nhi-card', 'doctor', '--json'], { PCSCLITE_CSOCK_NAME: CHROOT_SOCKET, HOME: '/root' });
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.problems).toEqual([]);
    // The packaged runtime with the flags it accepts (Node 26 refuses --no-expose-wasm).
    expect(report.runtime).toEqual({ node: `v${NODE_LINUX_X64.version}`, flags: ['--lite-mode'] });
    expect(report.registrations.map((registration) => [registration.browser, registration.scope, registration.launcher])).toEqual(
      ['chrome', 'chromium', 'edge', 'brave', 'firefox'].map((browser) => [browser, 'system', DEB_LAUNCHER_PATH]),
    );
    expect(report.hosts.map((host) => [host.family, host.ok, host.version])).toEqual([
      ['chromium', true, VERSION],
      ['firefox', true, VERSION],
    ]);
    expect(result.code).toBe(0);
  });

  it('the installed runtime and addon also serve a browser outside the chroot', async () => {
    // The launcher names /usr/lib/nhi-card-bridge by absolute path (it must, for browsers), so
    // outside the chroot the packaged runtime is started directly, as the launcher would.
    const lib = join(root, 'usr/lib/nhi-card-bridge');
    const host = spawnHost(join(lib, 'node'), [join(lib, 'nhi-card.cjs'), `chrome-extension://${CHROME_EXTENSION_ID}/`], { ...process.env, ...rig.env });
    hosts.push(host);
    await host.client.event('hello', 10_000);
    expect(await host.client.request('readCard', {}, 10_000)).toMatchObject({ result: { ...DEMO_IDENTITY, reader: rig.readerNames[0] } });
    host.client.end();
    expect(await host.exited).toEqual({ code: 0, signal: null });
  });

  it('dpkg --purge leaves nothing behind', () => {
    const owned = check(inChroot(['dpkg', '-L', 'nhi-card-bridge']), 'dpkg -L')
      .split('\n')
      .filter((line) => line.startsWith('/') && line !== '/.')
      .map((line) => line.slice(1));
    expect(owned.length).toBeGreaterThan(50);
    check(inChroot(['dpkg', '--purge', 'nhi-card-bridge']), 'dpkg --purge');
    // The dependencies apt-get install -f pulled in, too, so the root can be compared as a whole.
    check(inChroot(['apt-get', 'purge', '-y', '-qq', '--autoremove']), 'apt-get purge --autoremove');

    const after = copy.snapshot();
    expect([...after].filter((path) => !before.has(path)).sort(), 'left behind').toEqual([]);
    expect([...before].filter((path) => !after.has(path)).sort(), 'removed though not ours').toEqual([]);
    expect(owned.filter((path) => !before.has(path) && existsSync(join(root, path)))).toEqual([]);
  });
});
