/**
 * The replica pages: HTML from test/site/pages/ and their scripts from test/site/scripts/, bundled
 * once at start-up with esbuild into classic scripts (as government pages load them).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const SITE_DIR = import.meta.dirname;

/** Page HTML by file name (`forgot-password.html`) and script text by name (`forgot-password.js`). */
export interface PageAssets {
  readonly pages: ReadonlyMap<string, string>;
  readonly scripts: ReadonlyMap<string, string>;
}

/** Loads every page and bundles every entry script (files in scripts/ not starting with `lib-`). */
export async function loadPageAssets(): Promise<PageAssets> {
  const pagesDir = join(SITE_DIR, 'pages');
  const scriptsDir = join(SITE_DIR, 'scripts');
  const pageFiles = (await readdir(pagesDir)).filter((file) => file.endsWith('.html'));
  const entries = (await readdir(scriptsDir)).filter((file) => file.endsWith('.ts') && !file.startsWith('lib-'));
  const [pageTexts, bundled] = await Promise.all([
    Promise.all(pageFiles.map(async (file) => [file, await readFile(join(pagesDir, file), 'utf8')] as const)),
    build({
      entryPoints: entries.map((file) => join(scriptsDir, file)),
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
      charset: 'utf8',
      outdir: '/virtual',
      logLevel: 'silent',
    }),
  ]);
  const scripts = new Map(bundled.outputFiles.map((file) => [basename(file.path), file.text]));
  return { pages: new Map(pageTexts), scripts };
}
