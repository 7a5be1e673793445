/**
 * What the build injects into every trusted frame (issue 14): the extension is built for each
 * browser into a temporary directory (the real vite + crxjs config), and the files its manifest
 * injects must import nothing, carry neither zod nor webextension-polyfill, and stay within the
 * byte budget. The build output is checked, not the sources: a shared module that pulls a library
 * in would show up only here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsOf, injectedWeight, type InjectedWeight } from '../../bench/injected-weight';

const REPO = join(import.meta.dirname, '..', '..');

/**
 * All injected scripts of one frame together: issue 14's target, 20 kB. The scripts are at ~19.7 kB
 * (page world 13.9 kB, content script 5.8 kB), since the 2024 library's HTTP answers are built in
 * the background and terser minifies the two files. Lower this as they shrink; never raise it
 * without a reason.
 */
const INJECTED_BYTES_BUDGET = 20_000;
/** The content script alone: the relay and the one check of what a page sends. */
const CONTENT_SCRIPT_BYTES_BUDGET = 6_000;

/** Text only zod's or the polyfill's code contains. */
const FORBIDDEN: readonly [string, RegExp][] = [
  ['zod', /_zod|\$ZodError|ZodError|zod\/v4|jitless/u],
  ['webextension-polyfill', /webextension-polyfill|browser-polyfill|This script should only be loaded in a browser extension|wrapAPIs|makeCallback/u],
];

const TARGETS = ['chrome', 'firefox'] as const;
let outDir = '';
const weights = new Map<string, InjectedWeight>();

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'nhi-injected-weight-'));
  for (const target of TARGETS) {
    await promisify(execFile)('npx', ['--no-install', 'vite', 'build', '--mode', target, '--outDir', join(outDir, target), '--emptyOutDir', '--logLevel', 'error'], { cwd: REPO });
    weights.set(target, await injectedWeight(join(outDir, target)));
  }
}, 120_000);

afterAll(async () => {
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

describe.each(TARGETS)('the scripts the %s build injects into every trusted frame', (target) => {
  const weight = () => weights.get(target) ?? { files: [], totalBytes: Number.NaN };

  it('are the content script and the page-world script (in the order they run), standalone', async () => {
    expect(weight().files.map((entry) => entry.file)).toEqual(['extension/content/relay.iife.js', 'extension/page/main-world.iife.js']);
    for (const { file } of weight().files) expect(importsOf(await readFile(join(outDir, target, file), 'utf8')), file).toEqual([]);
  });

  it.each(FORBIDDEN)('carry no %s', async (_library, marker) => {
    for (const { file } of weight().files) expect(await readFile(join(outDir, target, file), 'utf8'), file).not.toMatch(marker);
  });

  it(`stay within ${String(INJECTED_BYTES_BUDGET)} bytes together, the content script within ${String(CONTENT_SCRIPT_BYTES_BUDGET)}`, () => {
    expect(weight().totalBytes).toBeLessThanOrEqual(INJECTED_BYTES_BUDGET);
    expect(weight().files.find((entry) => entry.file.startsWith('extension/content/'))?.bytes).toBeLessThanOrEqual(CONTENT_SCRIPT_BYTES_BUDGET);
  });
});

describe('the markers this test looks for', () => {
  it('are found in the libraries themselves, so the test can fail', async () => {
    const zod = await readFile(join(REPO, 'node_modules/zod/v4/core/errors.js'), 'utf8');
    const polyfill = await readFile(join(REPO, 'node_modules/webextension-polyfill/dist/browser-polyfill.js'), 'utf8');
    expect(zod).toMatch(FORBIDDEN[0]?.[1] ?? /never/u);
    expect(polyfill).toMatch(FORBIDDEN[1]?.[1] ?? /never/u);
  });

  it('find the imports an injected script must not have', () => {
    expect(importsOf('import{a as b}from"./chunk.js";b()')).toHaveLength(1);
    expect(importsOf('(function(){const m=import("./chunk.js")})()')).toHaveLength(1);
    expect(importsOf('(function(){x.import(1);const important=1})()')).toEqual([]);
  });
});
