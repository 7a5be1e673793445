// Builds the store uploads into dist/stores/ from the built extensions (dist/chrome, dist/firefox):
// - nhi-card-bridge-<version>-chrome.zip: Chrome Web Store and Edge Add-ons. Both stores refuse a
//   `key` in an uploaded manifest (the store keeps its own key and assigns the ID), so it is dropped.
// - nhi-card-bridge-<version>-firefox.xpi: addons.mozilla.org, made by `web-ext build`, after
//   `web-ext lint` finds no errors and no warnings but the ones explained in EXPLAINED_WARNINGS.
// - nhi-card-bridge-<version>-source.zip: the tracked sources, the lockfile and BUILD.txt, for AMO's
//   reviewers, who rebuild dist/firefox from it and compare.
// Every zip lists its files in sorted order with one fixed timestamp (the last commit's, or
// SOURCE_DATE_EPOCH) and fixed modes, so the same inputs give the same bytes. Needs Debian's `zip`.
// Run through `npm run package:stores`, which builds the extensions first.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, chmodSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const outDir = join(root, 'dist', 'stores');
const PREFIX = `nhi-card-bridge-${version}`;

/**
 * web-ext lint warnings we accept, with the reason. Anything else fails the packaging.
 * KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: data_collection_permissions is newer than our
 * strict_min_version on Android; the extension is desktop-only (Firefox for Android has no
 * native messaging, so it could not reach a card reader anyway).
 */
const EXPLAINED_WARNINGS: Readonly<Record<string, string>> = {
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: 'desktop-only: Firefox for Android has no native messaging',
};

/** Tracked files that AMO's rebuild does not need (CI machinery, store screenshots). */
const NOT_IN_SOURCE = [/^\.ci\//, /^store\/screenshots\//];

function run(file: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  return execFileSync(file, [...args], { encoding: 'utf8', cwd: options.cwd, input: options.input, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
}

/** The fixed timestamp of every zipped file: SOURCE_DATE_EPOCH, else the last commit's time. */
function sourceDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH ?? run('git', ['-C', root, 'log', '-1', '--format=%ct']).trim();
  return new Date(Number(epoch) * 1000);
}

/** Every file below `directory`, relative to it, sorted. */
function filesBelow(directory: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (lstatSync(path).isDirectory()) found.push(...filesBelow(path, rel));
    else found.push(rel);
  }
  return found;
}

/** Zips `files` (relative to `directory`) in sorted order with fixed times and modes. */
function deterministicZip(directory: string, files: readonly string[], output: string, date: Date): void {
  const scratch = mkdtempSync(join(tmpdir(), 'nhi-zip-'));
  try {
    for (const file of files) {
      const target = join(scratch, file);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(directory, file), target);
      chmodSync(target, 0o644);
      utimesSync(target, date, date);
    }
    rmSync(output, { force: true });
    // -X: no uid/gid or extra timestamps; -D: no directory entries; -@: names from stdin, in our order.
    run('zip', ['-X', '-D', '-q', '-9', output, '-@'], { cwd: scratch, input: `${[...files].sort().join('\n')}\n` });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The Chrome Web Store / Edge Add-ons upload: dist/chrome with the manifest's `key` removed. */
function chromeZip(date: Date): string {
  const source = join(root, 'dist', 'chrome');
  const staging = mkdtempSync(join(tmpdir(), 'nhi-chrome-'));
  try {
    cpSync(source, staging, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    Reflect.deleteProperty(manifest, 'key');
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const output = join(outDir, `${PREFIX}-chrome.zip`);
    deterministicZip(staging, filesBelow(staging), output, date);
    return output;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

interface LintMessage {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
}

/** Runs `web-ext lint` on dist/firefox; throws on any error or unexplained warning. */
function lintFirefox(): void {
  let text: string;
  try {
    text = run('npx', ['--no-install', 'web-ext', 'lint', '--source-dir', join(root, 'dist', 'firefox'), '--output', 'json', '--no-config-discovery'], { cwd: root });
  } catch (error) {
    // web-ext exits non-zero when it finds errors; its JSON report is still on stdout.
    const stdout = (error as { stdout?: unknown }).stdout;
    text = typeof stdout === 'string' ? stdout : '';
  }
  const report = JSON.parse(text.slice(text.indexOf('{'))) as { errors: LintMessage[]; warnings: LintMessage[] };
  const unexplained = report.warnings.filter((warning) => EXPLAINED_WARNINGS[warning.code] === undefined);
  for (const warning of report.warnings) {
    const reason = EXPLAINED_WARNINGS[warning.code];
    console.log(`web-ext lint: warning ${warning.code} (${warning.file ?? ''}): ${reason === undefined ? warning.message : `explained: ${reason}`}`);
  }
  const problems = [...report.errors, ...unexplained];
  if (problems.length > 0) {
    throw new Error(`web-ext lint: ${report.errors.length} error(s), ${unexplained.length} unexplained warning(s):\n${problems.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`);
  }
}

/** The addons.mozilla.org upload, built by web-ext from a copy of dist/firefox with fixed times. */
function firefoxXpi(date: Date): string {
  const staging = mkdtempSync(join(tmpdir(), 'nhi-firefox-'));
  try {
    cpSync(join(root, 'dist', 'firefox'), staging, { recursive: true });
    for (const file of filesBelow(staging)) utimesSync(join(staging, file), date, date);
    const filename = `${PREFIX}-firefox.xpi`;
    run('npx', ['--no-install', 'web-ext', 'build', '--source-dir', staging, '--artifacts-dir', outDir, '--filename', filename, '--overwrite-dest', '--no-config-discovery'], { cwd: root });
    return join(outDir, filename);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** How AMO's reviewers rebuild dist/firefox from the source zip. */
function buildText(): string {
  return [
    `NHI Card Bridge ${version}: building the Firefox extension from this source`,
    '',
    `Tested on Debian 12 (amd64) with Node.js ${process.version} and npm ${run('npm', ['--version']).trim()}; any Node.js >= 20`,
    'with npm >= 10 on Linux, macOS or Windows gives the same files.',
    '',
    '  npm ci --ignore-scripts',
    '  npm run build:firefox',
    '',
    'The extension is then in dist/firefox/, byte for byte the content of the uploaded',
    `${PREFIX}-firefox.xpi (compare with: unzip -d /tmp/xpi ${PREFIX}-firefox.xpi && diff -r /tmp/xpi dist/firefox).`,
    '',
    '--ignore-scripts skips compiling the native messaging host\'s PC/SC addon, which is not part of',
    'the extension. The build (vite with @crxjs/vite-plugin) is configured in vite.config.ts; only the',
    'two scripts injected into web pages are minified (esbuild, extension/build/minify-injected.ts),',
    'everything else is left readable. The Firefox manifest is derived from manifest.json by',
    'extension/build/manifest-for.ts. No code is generated from anything outside this archive.',
    '',
  ].join('\n');
}

/** The source archive: every tracked file (minus NOT_IN_SOURCE) plus BUILD.txt. */
function sourceZip(date: Date): string {
  const tracked = run('git', ['-C', root, 'ls-files', '-z'])
    .split('\0')
    .filter((path) => path.length > 0 && existsSync(join(root, path)) && !NOT_IN_SOURCE.some((pattern) => pattern.test(path)));
  const staging = mkdtempSync(join(tmpdir(), 'nhi-source-'));
  try {
    for (const path of tracked) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      cpSync(join(root, path), join(staging, path));
    }
    writeFileSync(join(staging, 'BUILD.txt'), buildText());
    const output = join(outDir, `${PREFIX}-source.zip`);
    deterministicZip(staging, [...tracked, 'BUILD.txt'], output, date);
    return output;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function main(): void {
  for (const flavour of ['chrome', 'firefox']) {
    if (!existsSync(join(root, 'dist', flavour, 'manifest.json'))) throw new Error(`dist/${flavour} is missing: run \`npm run build:extension\` first`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const date = sourceDate();
  lintFirefox();
  for (const output of [chromeZip(date), firefoxXpi(date), sourceZip(date)]) {
    console.log(`built ${relative(root, output)} (${Math.round(statSync(output).size / 1024)} KiB)`);
  }
}

main();
