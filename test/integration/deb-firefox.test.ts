/**
 * Debian 12's own firefox-esr reads the card with nothing but `apt install ./nhi-card-bridge_*.deb`:
 * in a clean bookworm root with firefox-esr from apt (cached, see test/support/debian-root.ts),
 * Firefox started from the root with a new profile loads the package's system-scope add-on
 * (/usr/share/mozilla/extensions/{ec8030f7-...}/), which starts the installed host through
 * /usr/lib/mozilla/native-messaging-hosts, which reads the virtual card through the rig's pcscd
 * listening on pcsc-lite's default socket inside the root. A replica page on its production origin
 * gets the demo card holder through window.nhiCard and the legacy socket after a click on Allow.
 * Then the package is purged with nothing left behind. Needs root (chroot, mount), a Debian mirror.
 * NHI_CARD_DEB_TEST_PACKAGE=path tests that .deb instead of building one from dist/.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { DEMO_IDENTITY } from '../fixtures/profiles';
import { CHROOT_FIREFOX_PROFILE, launchChrootFirefox, type ChrootFirefox } from '../e2e/chroot-firefox';
import { startE2eStack, type E2eStack } from '../e2e/e2e-stack';
import type { BrowserSession } from '../e2e/browser-session';
import { settledRead, startRead } from '../e2e/page-scripts';
import { ORIGINS, URLS } from '../e2e/site-urls';
import { check, ensureFirefoxRoot, FIREFOX_ROOT, isRoot, RootCopy, run } from '../support/debian-root';

const REPO = new URL('../..', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
/** pcsc-lite's default socket: the installed host finds the rig's pcscd where it finds a real one. */
const DEFAULT_PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/** Screenshots and logs of a failed test. */
const ARTIFACTS = join(REPO, 'test-results', 'deb-firefox');
/** Written by running Firefox, not by the package: fontconfig's cache of Firefox's bundled fonts. */
const WRITTEN_BY_FIREFOX = 'var/cache/fontconfig/';

/** The add-on manager's record of one add-on (the profile's extensions.json). */
interface AddonRecord {
  readonly id: string;
  readonly location: string;
  readonly active: boolean;
  readonly userDisabled: boolean;
  readonly appDisabled: boolean;
  readonly signedState?: number;
  readonly rootURI: string;
}

/** GetBasic's reply for the demo card: card number, ID, name, ROC birth date (yyymmdd), sex, 0. */
function demoGetBasicReply(): string {
  const [year = '', month = '', day = ''] = DEMO_IDENTITY.birthDate.split('-');
  const rocBirth = `${String(Number(year) - 1911).padStart(3, '0')}${month}${day}`;
  return `GetBasic:${[DEMO_IDENTITY.cardNumber, DEMO_IDENTITY.idNumber, DEMO_IDENTITY.name, rocBirth, DEMO_IDENTITY.sex, '0'].join(',')}`;
}

/**
 * The add-on manager's record of `id` in the new profile's extensions.json, which Firefox writes
 * shortly after start-up (waited for, bounded).
 */
async function addonRecord(id: string): Promise<AddonRecord | undefined> {
  const path = copy.path(`${CHROOT_FIREFOX_PROFILE}/extensions.json`);
  const deadline = performance.now() + 15_000;
  for (;;) {
    try {
      const record = (JSON.parse(readFileSync(path, 'utf8')) as { addons: AddonRecord[] }).addons.find((addon) => addon.id === id);
      if (record !== undefined || performance.now() > deadline) return record;
    } catch (error) {
      if (performance.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Builds the .deb from dist/ with scripts/package-deb.ts; returns its path. */
function buildPackage(): string {
  check(run('npx', ['tsx', join(REPO, 'scripts/package-deb.ts')], 600_000), 'scripts/package-deb.ts');
  const arch = check(run('dpkg', ['--print-architecture']), 'dpkg').trim();
  return join(REPO, 'dist', `nhi-card-bridge_${VERSION}-1_${arch}.deb`);
}

/** Waits for the extension's consent window and clicks Allow in it, as a person would. */
async function allowNextPrompt(session: BrowserSession): Promise<void> {
  const prompt = await session.nextConsent(30_000);
  expect(await prompt.origin()).toBe(ORIGINS.modern);
  await prompt.answer('allow');
}

let copy: RootCopy;
let stack: E2eStack;
let firefox: ChrootFirefox | undefined;
let before: Set<string>;

describe.skipIf(!isRoot())('Debian firefox-esr with the installed package on a clean Debian 12 root (needs root)', () => {
  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/native-host/nhi-card.cjs'))) throw new Error('dist/ is missing: run `npm run build` first');
    const debFile = process.env.NHI_CARD_DEB_TEST_PACKAGE ?? buildPackage();

    ensureFirefoxRoot();
    copy = new RootCopy(FIREFOX_ROOT);
    cpSync(debFile, copy.path('tmp/nhi-card-bridge.deb'));
    check(copy.run(['apt-get', 'update', '-qq']), 'apt-get update');
    before = copy.snapshot();
    stack = await startE2eStack({ ports: 'production', rigSocketPath: copy.path(DEFAULT_PCSCD_SOCKET) });
  }, 900_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || firefox === undefined) return;
    const pcscdLog = readFileSync(stack.rig.pcscdLogPath, 'utf8');
    await firefox.session.saveArtifacts(ARTIFACTS, { 'firefox-stderr.log': firefox.stderr(), 'pcscd.log': pcscdLog });
  }, 60_000);

  afterAll(async () => {
    await firefox?.close();
    await (stack as E2eStack | undefined)?.close();
    (copy as RootCopy | undefined)?.remove();
  }, 60_000);

  it('installs with apt install ./nhi-card-bridge.deb next to Debian firefox-esr', () => {
    check(copy.run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', '/tmp/nhi-card-bridge.deb']), 'apt-get install ./nhi-card-bridge.deb');
    expect(check(copy.run(['dpkg-query', '-W', '-f=${Status}', 'nhi-card-bridge', 'firefox-esr']), 'dpkg-query')).toBe('install ok installedinstall ok installed');
  });

  it('firefox-esr with a new profile enables the unsigned system-scope add-on by itself', async () => {
    firefox = await launchChrootFirefox(copy);
    const session = firefox.session;
    await session.waitUntilExtensionReady(URLS.blank, 30_000);
    const addon = await addonRecord(GECKO_EXTENSION_ID);
    expect(addon).toMatchObject({
      location: 'app-system-share',
      active: true,
      userDisabled: false,
      appDisabled: false,
      rootURI: `file:///usr/share/mozilla/extensions/%7Bec8030f7-c20a-464f-9b0e-13a3a9e97384%7D/${GECKO_EXTENSION_ID}/`,
    });
    // Not signed, and not required to be: /usr/share/mozilla/extensions is exempt on Linux.
    expect(addon?.signedState ?? 0).toBeLessThanOrEqual(0);
  }, 120_000);

  it('a replica page reads the demo card through the system add-on and the installed host, after a click on Allow', async () => {
    const session = firefox?.session;
    if (session === undefined) throw new Error('firefox-esr did not start (previous test)');
    const page = await session.newPage(URLS.modern);
    await page.evaluate(`(() => {
      window.__read = window.nhiCard.readCard().then((identity) => ({ ...identity }), (error) => ({ error: String(error.code) }));
      return true;
    })()`);
    await allowNextPrompt(session);
    expect(await page.evaluate('window.__read')).toEqual({ ...DEMO_IDENTITY, reader: stack.rig.readerNames[0] });

    // The legacy component's socket, answered by the same host. It asks for the legacy flow's
    // fields (card checks too), which the readCard grant does not cover: a second prompt.
    await page.evaluate(startRead('legacy', 'legacy'));
    await allowNextPrompt(session);
    expect(await page.evaluate(settledRead('legacy'))).toBe(`ok: ${demoGetBasicReply()}`);
    expect(session.consentWindowsOpened).toBe(2);
    expect(stack.rig.card(0)?.apduLog.length).toBeGreaterThan(0);
  }, 120_000);

  it('apt purge leaves nothing behind', async () => {
    await firefox?.close();
    firefox = undefined;
    rmSync(copy.path('tmp/nhi-firefox'), { recursive: true, force: true });
    check(copy.run(['apt-get', 'purge', '-y', '-qq', '--autoremove', 'nhi-card-bridge']), 'apt-get purge --autoremove');
    const after = copy.snapshot();
    expect([...after].filter((path) => !before.has(path) && !path.startsWith(WRITTEN_BY_FIREFOX)).sort(), 'left behind').toEqual([]);
    expect([...before].filter((path) => !after.has(path)).sort(), 'removed though not ours').toEqual([]);
  }, 120_000);
});
