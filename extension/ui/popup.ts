/**
 * The toolbar popup: a warning while the government sites lack access, host, readers, card (holder
 * masked), the sites allowed until the browser closes (revocable) and the sites that read the card
 * recently.
 */
import '../shared/zod-jitless';
import browser from 'webextension-polyfill';
import { WELCOME_PAGE } from '../shared/extension-pages';
import { callBackground } from './background-client';
import { byId, element, formatTime, replaceChildren } from './dom';
import { localizePage, t } from './i18n';
import { showSessionGrants } from './session-grants';
import { showSiteAccessNotice } from './site-access-notice';

function row(label: string, value: string, className?: string): HTMLElement {
  const line = element('div', { className: 'status-row' });
  line.append(element('span', { text: label }), element('span', { text: value, ...(className === undefined ? {} : { className }) }));
  return line;
}

/** Opens the page that gives the installer for this OS and checks again by itself. */
function installHelpButton(): HTMLElement {
  const button = element('button', { className: 'primary', text: t('popupInstallHelp'), testId: 'install-help' });
  button.addEventListener('click', () => {
    void browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) }).then(() => {
      window.close();
    });
  });
  const line = element('div', { className: 'buttons' });
  line.append(button);
  return line;
}

async function showStatus(): Promise<void> {
  const target = byId('status', HTMLElement);
  try {
    const status = await callBackground('status', {});
    const rows = [
      status.host.connected
        ? row(t('hostLabel'), t('hostConnectedVersion', status.host.version ?? '?'), 'ok')
        : row(t('hostLabel'), t('hostNotConnected', status.host.errorCode ?? '?'), 'bad'),
      row(t('readersLabel'), status.readers.length === 0 ? t('noReaders') : status.readers.map((reader) => reader.name).join(', ')),
      row(t('cardLabel'), status.cardPresent ? t('cardPresent') : t('cardAbsent'), status.cardPresent ? 'ok' : undefined),
      row(t('extensionVersionLabel'), status.extensionVersion),
    ];
    replaceChildren(target, ...rows);
    if (!status.host.connected) target.append(installHelpButton());
    if (status.cardPresent) {
      const holder = row(t('holderLabel'), '…');
      target.append(holder);
      callBackground('holder', {}).then(
        ({ maskedName }) => {
          holder.lastElementChild?.replaceChildren(maskedName);
        },
        () => {
          holder.lastElementChild?.replaceChildren(t('holderUnreadable'));
        },
      );
    }
  } catch {
    replaceChildren(target, element('p', { className: 'bad', text: t('backgroundUnavailable') }));
  }
}

async function showRecent(): Promise<void> {
  const target = byId('recent', HTMLElement);
  const { reads } = await callBackground('recentReads', {});
  if (reads.length === 0) {
    replaceChildren(target, element('p', { className: 'muted', text: t('noRecentReads') }));
    return;
  }
  const list = element('ul');
  for (const read of reads.slice(0, 8)) {
    const item = element('li');
    item.append(element('span', { className: 'origin-small', text: read.origin }), document.createTextNode(` — ${read.what}, ${formatTime(read.at)}`));
    list.append(item);
  }
  replaceChildren(target, list);
}

localizePage();
showSiteAccessNotice(byId('site-access', HTMLElement));
byId('open-options', HTMLElement).addEventListener('click', () => {
  void browser.runtime.openOptionsPage();
});
void showStatus();
void showRecent();
void showSessionGrants(byId('session-grants', HTMLElement));
