/**
 * The replica pages: HTML from test/site/pages/ and their scripts from test/site/scripts/, bundled
 * once at start-up with esbuild into classic scripts (as government pages load them).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const SITE_DIR = import.meta.dirname;

/**
 * Page HTML by file name (`forgot-password.html`), and what pages load from /assets/: scripts by
 * name (`forgot-password.js`) and the stylesheet the replicas share (`replica.css`).
 */
export interface PageAssets {
  readonly pages: ReadonlyMap<string, string>;
  readonly scripts: ReadonlyMap<string, string>;
  readonly styles: ReadonlyMap<string, string>;
}

/** Loads every page and bundles every entry script (files in scripts/ not starting with `lib-`). */
export async function loadPageAssets(): Promise<PageAssets> {
  const pagesDir = join(SITE_DIR, 'pages');
  const scriptsDir = join(SITE_DIR, 'scripts');
  const pageDirFiles = await readdir(pagesDir);
  const pageFiles = pageDirFiles.filter((file) => file.endsWith('.html'));
  const styleFiles = pageDirFiles.filter((file) => file.endsWith('.css'));
  const entries = (await readdir(scriptsDir)).filter((file) => file.endsWith('.ts') && !file.startsWith('lib-'));
  const readPages = (files: readonly string[]) =>
    Promise.all(files.map(async (file) => [file, await readFile(join(pagesDir, file), 'utf8')] as const));
  const [pageTexts, styleTexts, bundled] = await Promise.all([
    readPages(pageFiles),
    readPages(styleFiles),
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
  return { pages: new Map(pageTexts), scripts, styles: new Map(styleTexts) };
}
