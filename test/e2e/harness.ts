/**
 * The one harness for every browser test. Per test file: the stack (private pcscd + virtual demo
 * card, SAM simulator, replica sites on their production names). Per test: a fresh browser with
 * the extension, its own profile dir and HOME, the host registered (unless a test says not to).
 * Whatever happens, everything is torn down; a failing test leaves a screenshot and the console
 * log of every page under test-results/e2e/.
 *
 *   const e2e = useE2eStack();
 *   describe.each(e2eBrowsers())('%s', (browserName) => {
 *     it('...', async () => {
 *       const browser = await e2e.launch(browserName);
 *       ...
 *     }, E2E_TEST_TIMEOUT_MS);
 *   });
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { DEMO_IDENTITY } from '../fixtures/profiles';
import type { BrowserName, BrowserSession } from './browser-session';
import { registerHost } from './host-registration';
import { startE2eStack, type E2eStack } from './e2e-stack';
import { snapshotExtensions, type ExtensionSnapshot } from './extension-snapshot';
import { launchBrowser } from './launch-browser';

export type { BrowserName, BrowserSession } from './browser-session';
export { launchBrowser, type LaunchTarget } from './launch-browser';

/** Bound for one browser test: a flow with consent takes a few seconds; CI machines are slow. */
export const E2E_TEST_TIMEOUT_MS = 60_000;
/** Bound for starting or stopping the stack. */
export const E2E_HOOK_TIMEOUT_MS = 60_000;

export const RESULTS_DIR = resolve(import.meta.dirname, '..', '..', 'test-results', 'e2e');

const ALL_BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

/** The browsers to run: all, or those listed in NHI_E2E_BROWSERS (comma-separated). */
export function e2eBrowsers(): BrowserName[] {
  const wanted = (process.env.NHI_E2E_BROWSERS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (wanted.length === 0) return [...ALL_BROWSERS];
  const unknown = wanted.filter((name) => !(ALL_BROWSERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`NHI_E2E_BROWSERS: unknown browser ${unknown.join(', ')}`);
  return ALL_BROWSERS.filter((name) => wanted.includes(name));
}

/** How a test wants its browser; each defaults to the usual setup. */
export interface SessionOptions {
  /** Register the native host (default true). */
  readonly registerHost?: boolean;
  readonly extraExtensionDirs?: readonly string[];
  /** Chromium: the local site counts as a public web server (see LaunchOptions.sitesArePublic). */
  readonly sitesArePublic?: boolean;
}

export interface E2eContext {
  /** The running stack (rig, SAM simulator, site). */
  readonly stack: E2eStack;
  /** Launches a browser for the current test; closed (with artifacts on failure) after it. */
  launch(name: BrowserName, options?: SessionOptions): Promise<BrowserSession>;
  /** Closes `session` and starts the same browser again on the same profile (a browser restart). */
  relaunch(session: BrowserSession): Promise<BrowserSession>;
  /** Installs the native host for a running browser launched without it (a person installing it later). */
  installHost(session: BrowserSession): Promise<void>;
}

function artifactName(testName: string): string {
  return testName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

/** Registers the hooks that run the stack for this file and a browser per test. */
export function useE2eStack(): E2eContext {
  let stack: E2eStack | undefined;
  let extensions: ExtensionSnapshot | undefined;
  interface OpenSession {
    readonly session: BrowserSession;
    readonly runDir: string;
    readonly options: SessionOptions;
  }
  const sessions: OpenSession[] = [];

  async function start(name: BrowserName, runDir: string, options: SessionOptions): Promise<BrowserSession> {
    if (stack === undefined) throw new Error('the e2e stack is not running (beforeAll failed?)');
    if (extensions === undefined) throw new Error('the extension snapshot is missing (beforeAll failed?)');
    const session = await launchBrowser(name, stack, {
      runDir,
      registerHost: options.registerHost ?? true,
      headless: true,
      extensionDir: extensions.dirFor(name),
      extraExtensionDirs: options.extraExtensionDirs ?? [],
      sitesArePublic: options.sitesArePublic ?? false,
    });
    sessions.push({ session, runDir, options });
    return session;
  }

  beforeAll(async () => {
    // Firefox can only reach the site on the real ports; Chromium is happy there too.
    const needsProductionPorts = e2eBrowsers().includes('firefox');
    extensions = await snapshotExtensions(e2eBrowsers());
    stack = await startE2eStack({ ports: needsProductionPorts ? 'production' : 'any-port' });
  }, E2E_HOOK_TIMEOUT_MS);

  beforeEach(async () => {
    if (stack === undefined) return;
    // Every test starts with the demo card in slot 0 and slot 1 empty, and a clean site.
    await stack.rig.removeCard(1);
    if (stack.rig.card(0)?.profile.cardNumber !== DEMO_IDENTITY.cardNumber) {
      await stack.rig.removeCard(0);
      await stack.rig.insertCard(0, 'demo');
    }
    stack.sam.setFault(undefined);
    await stack.site.reset();
  }, E2E_HOOK_TIMEOUT_MS);

  afterEach(async (context) => {
    const failed = context.task.result?.state === 'fail';
    const open = sessions.splice(0);
    for (const { session, runDir } of open) {
      if (failed && stack !== undefined) {
        const extra = {
          'sam-simulator.log': `${stack.sam.log.map((event) => JSON.stringify(event)).join('\n')}\n`,
          'site-records.json': JSON.stringify(await stack.site.records().catch((error: unknown) => String(error)), null, 2),
          'pcscd.log': await readFile(stack.rig.pcscdLogPath, 'utf8').catch((error: unknown) => String(error)),
          'apdu.log': stack.rig.readerNames
            .map((name, slot) => `${name}: ${(stack?.rig.card(slot)?.apduLog ?? []).map((entry) => entry.command.slice(0, 14)).join(' | ')}`)
            .join('\n'),
        };
        await session.saveArtifacts(join(RESULTS_DIR, artifactName(context.task.name)), extra);
      }
      await session.close();
      await rm(runDir, { recursive: true, force: true });
    }
  }, E2E_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    try {
      await stack?.close();
    } finally {
      stack = undefined;
      await extensions?.remove();
      extensions = undefined;
    }
  }, E2E_HOOK_TIMEOUT_MS);

  return {
    get stack(): E2eStack {
      if (stack === undefined) throw new Error('the e2e stack is not running (beforeAll failed?)');
      return stack;
    },
    async launch(name, options = {}) {
      const runDir = await mkdtemp(join(tmpdir(), `nhi-e2e-${name}-`));
      try {
        return await start(name, runDir, options);
      } catch (error) {
        await rm(runDir, { recursive: true, force: true });
        throw error;
      }
    },
    async installHost(session) {
      const entry = sessions.find((open) => open.session === session);
      if (entry === undefined) throw new Error('installHost: not a session of this test');
      // The same places the launchers register it (chromium-session.ts, firefox-session.ts).
      await registerHost(session.name === 'chromium' ? { browser: 'chromium', userDataDir: join(entry.runDir, 'chromium-profile') } : { browser: 'firefox', home: join(entry.runDir, 'home') });
    },
    async relaunch(session) {
      const index = sessions.findIndex((entry) => entry.session === session);
      const entry = sessions[index];
      if (entry === undefined) throw new Error('relaunch: not a session of this test');
      sessions.splice(index, 1);
      await session.close();
      try {
        return await start(session.name, entry.runDir, entry.options);
      } catch (error) {
        await rm(entry.runDir, { recursive: true, force: true });
        throw error;
      }
    },
  };
}
