/** Launching a browser with the extension, for the e2e harness and the demo alike (no test runner here). */
import type { BrowserName, BrowserSession } from './browser-session';
import { launchChromium } from './chromium-session';
import { launchFirefox } from './firefox-session';
import type { LaunchOptions } from './launch-options';
import { URLS } from './site-urls';

/** Where the browser finds the site and what it passes to the host (an E2eStack, or the demo's parts). */
export type LaunchTarget = Pick<LaunchOptions, 'sitePort' | 'hostEnv'>;

/** Launches one browser with the extension against `target` and waits until the extension serves pages. */
export async function launchBrowser(name: BrowserName, target: LaunchTarget, options: Omit<LaunchOptions, 'sitePort' | 'hostEnv'>): Promise<BrowserSession> {
  const launchOptions: LaunchOptions = { ...options, sitePort: target.sitePort, hostEnv: target.hostEnv };
  const session = name === 'chromium' ? await launchChromium(launchOptions) : await launchFirefox(launchOptions);
  try {
    await session.waitUntilExtensionReady(URLS.blank);
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

