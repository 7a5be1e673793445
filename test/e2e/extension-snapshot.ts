/**
 * A copy of the built extensions for one test file, so a rebuild of dist/ while tests run (a
 * colleague's `npm run build:extension`, a watch mode) cannot swap the extension under a browser.
 */
import { access, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserName } from './browser-session';
import { CHROMIUM_EXTENSION_DIR } from './chromium-session';
import { FIREFOX_EXTENSION_DIR } from './firefox-session';

export interface ExtensionSnapshot {
  dirFor(browser: BrowserName): string;
  remove(): Promise<void>;
}

const BUILT: Readonly<Record<BrowserName, string>> = { chromium: CHROMIUM_EXTENSION_DIR, firefox: FIREFOX_EXTENSION_DIR };

/** Copies dist/chrome and dist/firefox (the ones asked for) into a temp dir. */
export async function snapshotExtensions(browsers: readonly BrowserName[]): Promise<ExtensionSnapshot> {
  const root = await mkdtemp(join(tmpdir(), 'nhi-e2e-extensions-'));
  try {
    for (const browser of browsers) {
      const source = BUILT[browser];
      await access(join(source, 'manifest.json')).catch(() => {
        throw new Error(`${source}/manifest.json is missing: run \`npm run build:extension\` first`);
      });
      await cp(source, join(root, browser), { recursive: true });
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    dirFor: (browser) => join(root, browser),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
