/**
 * Debian's firefox-esr started inside a Debian root (test/support/debian-root.ts) the way a user
 * starts it: its own binary, a new profile, and nothing but what packages installed. Unlike
 * firefox-session.ts it installs no add-on and lets no automation write add-on prefs: puppeteer's
 * launch() profile and the Remote Agent's "recommended" prefs both set extensions.enabledScopes = 5,
 * which switches off the system scope (/usr/share/mozilla/extensions) this is meant to test.
 *
 * The only settings are those needed to reach and drive the replica site, and none is read by
 * the add-on manager:
 * - user.js `network.dns.localDomains`: the replica sites' names resolve to 127.0.0.1;
 * - user.js `remote.prefs.recommended` = false: the Remote Agent changes no prefs;
 * - `--remote-debugging-port`: WebDriver BiDi, so puppeteer-core can connect;
 * - the BiDi session's `acceptInsecureCerts`: the site's throwaway self-signed certificate.
 * /proc is mounted in the root while Firefox runs (it finds its own directory through /proc/self/exe).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, readFileSync, writeFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { check, run, type RootCopy } from '../support/debian-root';
import type { BrowserSession } from './browser-session';
import { firefoxSession } from './firefox-session';
import { LEGACY_COMPONENT_HOST, MAPPED_HOSTS } from './launch-options';
import { within } from './process-reaper';

/** Inside the root; under /tmp, which the package tests' leftover check ignores. */
const FIREFOX_DIR = '/tmp/nhi-firefox';
export const CHROOT_FIREFOX_PROFILE = `${FIREFOX_DIR}/profile`;
const CHROOT_FIREFOX_HOME = `${FIREFOX_DIR}/home`;

const USER_JS = [
  `user_pref("network.dns.localDomains", ${JSON.stringify([...MAPPED_HOSTS, LEGACY_COMPONENT_HOST].join(','))});`,
  'user_pref("remote.prefs.recommended", false);',
  '',
].join('\n');

export interface ChrootFirefox {
  readonly session: BrowserSession;
  /** What Firefox wrote to stderr so far (for failure messages). */
  readonly stderr: () => string;
  /** Closes Firefox, ends every process left in the root, unmounts /proc (throws only if that fails). */
  close(): Promise<void>;
}

/** Ids of the processes whose root directory is `root` (Firefox, its children, the native host). */
function processesIn(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/root`) === root) pids.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return pids;
}

async function waitUntilNoProcessesIn(root: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (processesIn(root).length > 0) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function waitForEndpoint(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(new Error(`firefox-esr did not start WebDriver BiDi within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output());
      if (match?.[1] !== undefined) finish(undefined, match[1]);
    };
    const onExit = (code: number | null): void => {
      finish(new Error(`firefox-esr exited (${String(code)}) before WebDriver BiDi started:\n${output()}`));
    };
    const finish = (error: Error | undefined, endpoint?: string): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error === undefined && endpoint !== undefined) resolve(endpoint);
      else reject(error ?? new Error('no endpoint'));
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Starts `/usr/bin/firefox-esr` in the root with a new profile and connects to it. */
export async function launchChrootFirefox(copy: RootCopy): Promise<ChrootFirefox> {
  const proc = copy.path('proc');
  check(run('mount', ['-t', 'proc', 'proc', proc]), 'mount proc');
  mkdirSync(copy.path(CHROOT_FIREFOX_PROFILE), { recursive: true });
  mkdirSync(copy.path(CHROOT_FIREFOX_HOME), { recursive: true });
  writeFileSync(copy.path(`${CHROOT_FIREFOX_PROFILE}/user.js`), USER_JS);

  let stderr = '';
  const args = ['firefox-esr', '--headless', '--no-remote', '--profile', CHROOT_FIREFOX_PROFILE, '--remote-debugging-port=0', 'about:blank'];
  const child = spawn('chroot', copy.chrootArgs(args, { HOME: CHROOT_FIREFOX_HOME, LANG: 'C.UTF-8' }), { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = `${stderr}${text}`.slice(-64 * 1024);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    resolve();
  }));

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (child.exitCode === null) {
      await within(exited, 10_000, () => undefined);
    }
    for (const pid of processesIn(copy.root)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    await waitUntilNoProcessesIn(copy.root, 10_000);
    const mounted = readFileSync('/proc/mounts', 'utf8').split('\n').some((line) => line.split(' ')[1] === proc);
    if (mounted) check(run('umount', [proc]), 'umount proc');
  };

  try {
    const endpoint = await waitForEndpoint(child, () => stderr, 60_000);
    const browser = await puppeteer.connect({
      browserWSEndpoint: `${endpoint}/session`,
      protocol: 'webDriverBiDi',
      acceptInsecureCerts: true,
      protocolTimeout: 30_000,
      defaultViewport: { width: 1000, height: 720 },
    });
    const session = await firefoxSession(browser, '', async () => {
      await within(
        browser.close().then(() => true),
        10_000,
        () => false,
      );
      await close();
    });
    return { session, stderr: () => stderr, close: () => session.close() };
  } catch (error) {
    child.kill('SIGKILL');
    await close();
    throw error;
  }
}
