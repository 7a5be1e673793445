/**
 * The store uploads (`npm run package:stores` -> dist/stores/): their layout and manifests, the
 * xpi's lint, byte-identical zips from a second run, and the source zip rebuilt on a clean tree
 * (unpacked into a temporary directory, `npm ci` and the build as BUILD.txt says) giving exactly
 * the files of the uploaded xpi.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';

const REPO = new URL('../..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const STORES = join(REPO, 'dist', 'stores');
const CHROME_ZIP = join(STORES, `nhi-card-bridge-${VERSION}-chrome.zip`);
const FIREFOX_XPI = join(STORES, `nhi-card-bridge-${VERSION}-firefox.xpi`);
const SOURCE_ZIP = join(STORES, `nhi-card-bridge-${VERSION}-source.zip`);

let work: string;

function run(file: string, args: readonly string[], cwd = REPO): string {
  return execFileSync(file, [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The names in a zip, as stored (order kept). */
function zipNames(zip: string): string[] {
  return run('unzip', ['-Z1', zip]).split('\n').filter((name) => name.length > 0);
}

/** Unpacks a zip into a new directory under the test's work dir. */
function unpack(zip: string, name: string): string {
  const target = join(work, name);
  run('unzip', ['-q', zip, '-d', target]);
  return target;
}

/** Every file below `directory` with the sha256 of its bytes, by relative path. */
function tree(directory: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (lstatSync(path).isDirectory()) Object.assign(files, tree(path, rel));
    else files[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('the store packages', () => {
  beforeAll(() => {
    run('npm', ['run', '--silent', 'package:stores']);
    work = mkdtempSync(join(tmpdir(), 'nhi-stores-'));
  }, 600_000);

  afterAll(() => {
    if ((work as string | undefined) !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('the Chrome/Edge zip has the manifest at its root, without `key`, and all of dist/chrome', () => {
    const names = zipNames(CHROME_ZIP);
    expect(names).toContain('manifest.json');
    expect(names).toEqual([...names].sort());
    expect(names.some((name) => name.endsWith('/'))).toBe(false);
    const unpacked = unpack(CHROME_ZIP, 'chrome');
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const built = JSON.parse(readFileSync(join(REPO, 'dist/chrome/manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(built.key).toEqual(expect.any(String));
    expect(manifest).not.toHaveProperty('key');
    expect({ ...manifest, key: built.key }).toEqual(built);
    expect(manifest).toMatchObject({ manifest_version: 3, version: VERSION, background: { service_worker: expect.any(String) as unknown } });
    const withoutManifest = (files: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(files).filter(([path]) => path !== 'manifest.json'));
    expect(withoutManifest(tree(unpacked))).toEqual(withoutManifest(tree(join(REPO, 'dist/chrome'))));
  });

  it('the Firefox xpi is dist/firefox, with the gecko id and no Chrome-only keys', () => {
    const unpacked = unpack(FIREFOX_XPI, 'xpi');
    expect(tree(unpacked)).toEqual(tree(join(REPO, 'dist/firefox')));
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ manifest_version: 3, version: VERSION, browser_specific_settings: { gecko: { id: GECKO_EXTENSION_ID } } });
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).toHaveProperty('background.scripts');
  });

  it('the xpi passes web-ext lint with no errors and only the explained warning', () => {
    const unpacked = join(work, 'xpi');
    let text: string;
    try {
      text = run('npx', ['--no-install', 'web-ext', 'lint', '--source-dir', unpacked, '--output', 'json', '--no-config-discovery']);
    } catch (error) {
      const stdout = (error as { stdout?: unknown }).stdout;
      text = typeof stdout === 'string' ? stdout : '';
    }
    const report = JSON.parse(text.slice(text.indexOf('{'))) as { errors: { code: string }[]; warnings: { code: string }[] };
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((warning) => warning.code)).toEqual(['KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION']);
  });

  it('the source zip holds the sources, the lockfile and BUILD.txt, and no build output', () => {
    const names = zipNames(SOURCE_ZIP);
    for (const required of ['BUILD.txt', 'package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'store/extension-ids.json', 'extension/build/manifest-for.ts']) {
      expect(names).toContain(required);
    }
    expect(names.filter((name) => /^(dist|node_modules|\.ci)\//.test(name))).toEqual([]);
    expect(readFileSync(join(unpack(SOURCE_ZIP, 'source'), 'BUILD.txt'), 'utf8')).toContain('npm run build:firefox');
  });

  it('a second run gives byte-identical zips', () => {
    const first = [CHROME_ZIP, SOURCE_ZIP].map(sha256);
    run('npx', ['tsx', 'scripts/package-stores.ts']);
    expect([CHROME_ZIP, SOURCE_ZIP].map(sha256)).toEqual(first);
  }, 300_000);

  it('the source zip, unpacked elsewhere and built as BUILD.txt says, gives the xpi byte for byte', () => {
    const source = join(work, 'source');
    run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], source);
    run('npm', ['run', '--silent', 'build:firefox'], source);
    expect(tree(join(source, 'dist/firefox'))).toEqual(tree(join(work, 'xpi')));
  }, 900_000);
});
