/**
 * Registers the native host `tw.nhi_card_bridge` for one browser profile the way a person does:
 * with the built `nhi-card install`, pointed at the test's own profile (Chromium) or HOME (Firefox),
 * so the e2e tests exercise the real installer too. The one place that knows how.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The built host launcher the browsers start. */
export const HOST_EXECUTABLE = resolve(import.meta.dirname, '..', '..', 'dist', 'native-host', 'nhi-card');

/** Where a browser looks for host manifests: Chromium in its user data dir, Firefox under HOME. */
export type HostRegistration = { readonly browser: 'chromium'; readonly userDataDir: string } | { readonly browser: 'firefox'; readonly home: string };

/** Registers the host for `target` with `nhi-card install`; rejects with the installer's output. */
export async function registerHost(target: HostRegistration): Promise<void> {
  const where = target.browser === 'chromium' ? ['--user-data-dir', target.userDataDir] : ['--home', target.home];
  // HOME too, so nothing the installer might write per user lands outside the test's own dirs.
  const home = target.browser === 'chromium' ? target.userDataDir : target.home;
  try {
    await run(HOST_EXECUTABLE, ['install', '--browser', target.browser, ...where], { timeout: 20_000, env: { ...process.env, HOME: home } });
  } catch (error) {
    const output = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`nhi-card install --browser ${target.browser} failed: ${output.trim() || String(error)}`, { cause: error });
  }
}
