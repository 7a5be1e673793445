/**
 * The first-run and "host missing" page: says whether the card service is reachable, and if not,
 * what is missing and the installer for this OS (Windows setup, Debian package, or a checkout),
 * then checks again by itself every few seconds until the service answers. At the top, while the
 * browser withholds access to the government sites, a notice that asks for it (site-access-notice.ts).
 */
import '../shared/zod-jitless';
import browser from 'webextension-polyfill';
import { CHECKOUT_INSTALL_COMMAND, debianArchitecture, debianPackageFileName, INSTALLER_DOWNLOAD_PAGE, windowsSetupFileName } from '../shared/installers';
import { callBackground } from './background-client';
import { byId, element, replaceChildren } from './dom';
import { localizePage, t } from './i18n';
import { showSiteAccessNotice } from './site-access-notice';

/** How often the page asks again while the service is missing; each ask is one spawn attempt. */
const RECHECK_MS = 3000;

type HostState = 'checking' | 'ready' | 'missing' | 'broken';

function step(text: string, primary: boolean, command?: string): HTMLElement {
  const box = element('div', { className: primary ? 'install-step primary-step' : 'install-step' });
  box.append(element('p', { text }));
  if (command !== undefined) box.append(element('code', { text: command }));
  return box;
}

function debianStep(file: string, primary: boolean): HTMLElement {
  return step(t('installDebian', file), primary, `sudo apt install ./${file}`);
}

/** The steps for this OS first, then the other ways; every file name comes from installers.ts. */
async function installSteps(): Promise<HTMLElement[]> {
  const version = browser.runtime.getManifest().version;
  const platform = await browser.runtime.getPlatformInfo();
  const architecture = debianArchitecture(platform.arch);
  const windows = step(t('installWindows', windowsSetupFileName(version)), platform.os === 'win');
  const debian = architecture === undefined ? undefined : debianStep(debianPackageFileName(version, architecture), platform.os === 'linux');
  const checkout = step(t('installCheckout'), platform.os !== 'win' && platform.os !== 'linux', CHECKOUT_INSTALL_COMMAND);
  const download = INSTALLER_DOWNLOAD_PAGE === undefined ? [] : [linkTo(INSTALLER_DOWNLOAD_PAGE)];
  if (platform.os === 'win') return [windows, ...download, element('h3', { text: t('installOtherWays') }), checkout];
  if (platform.os === 'linux') return [...(debian === undefined ? [] : [debian]), ...download, element('h3', { text: t('installOtherWays') }), checkout];
  return [element('p', { text: t('installOtherOs') }), checkout];
}

function linkTo(url: string): HTMLElement {
  const paragraph = element('p');
  const link = element('a', { text: t('installDownloadPage') });
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener';
  paragraph.append(link);
  return paragraph;
}

function showState(state: HostState, text: string): void {
  // Someone who has everything is welcomed; someone missing the service is told the one step left.
  const title = t(state === 'missing' || state === 'broken' ? 'hostMissingTitle' : 'welcomeTitle');
  byId('title', HTMLElement).textContent = title;
  document.title = title;
  const box = byId('state', HTMLElement);
  box.dataset.state = state;
  box.textContent = text;
  byId('install', HTMLElement).hidden = state === 'ready' || state === 'checking';
  byId('next', HTMLElement).hidden = state !== 'ready';
}

/** Asks the background for the host; resolves with the state it shows. */
async function check(): Promise<HostState> {
  try {
    const status = await callBackground('status', {});
    if (status.host.connected) {
      showState('ready', `✔ ${t('welcomeHostReady')}`);
      return 'ready';
    }
    const code = status.host.errorCode ?? '?';
    if (code === 'HOST_NOT_FOUND') {
      showState('missing', `✘ ${t('welcomeHostMissing')}`);
      return 'missing';
    }
    showState('broken', `✘ ${t('welcomeHostBroken', code)}`);
    return 'broken';
  } catch {
    showState('broken', t('backgroundUnavailable'));
    return 'broken';
  }
}

async function checkUntilReady(): Promise<void> {
  if ((await check()) === 'ready') return;
  setTimeout(() => void checkUntilReady(), RECHECK_MS);
}

localizePage();
byId('title', HTMLElement).textContent = t('welcomeTitle');
showSiteAccessNotice(byId('site-access', HTMLElement));
void installSteps().then((steps) => {
  replaceChildren(byId('install-steps', HTMLElement), ...steps);
});
void checkUntilReady();
