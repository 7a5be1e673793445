/**
 * The "may not run on the government sites yet" notice, shown at the top of the welcome page and
 * in the toolbar popup while the browser withholds access to built-in origins: the sites, and one
 * button that asks the browser for access. It hides itself once access is granted, however granted.
 */
import browser from 'webextension-polyfill';
import { originsMissingAccess, requestSiteAccess } from '../shared/site-access';
import { serviceNameOf } from '../shared/trusted-origins';
import { element, replaceChildren } from './dom';
import { t, uiLanguageIsChinese } from './i18n';

function siteItem(origin: string): HTMLElement {
  const item = element('li');
  const name = serviceNameOf(origin);
  if (name !== undefined) item.append(element('span', { text: uiLanguageIsChinese() ? name.zhTW : name.en }));
  // The origin on its own line, so the narrow popup does not break it mid-name.
  item.append(element('div', { className: 'origin-small', text: origin }));
  return item;
}

/** Fills `box` with the notice for `missing` origins, or hides it when none are missing. */
function render(box: HTMLElement, missing: readonly string[], declined: boolean, recheck: () => void): void {
  box.hidden = missing.length === 0;
  box.dataset.missing = missing.join(' ');
  if (missing.length === 0) {
    replaceChildren(box);
    return;
  }
  const list = element('ul', { testId: 'site-access-sites' });
  list.append(...missing.map(siteItem));
  const button = element('button', { className: 'primary', text: t('siteAccessAllow'), testId: 'site-access-allow' });
  button.addEventListener('click', () => {
    // Straight from the click, with no await before it: the browser requires a user gesture.
    requestSiteAccess(browser.permissions, missing).then(
      (stillMissing) => {
        render(box, stillMissing, stillMissing.length > 0, recheck);
      },
      () => {
        recheck();
      },
    );
  });
  const buttons = element('div', { className: 'buttons' });
  buttons.append(button);
  const children: HTMLElement[] = [element('h2', { text: t('siteAccessTitle') }), element('p', { text: t('siteAccessExplain') }), list, element('p', { className: 'muted small', text: t('siteAccessStillAsks') }), buttons];
  if (declined) children.push(element('p', { className: 'bad', text: t('siteAccessDeclined'), testId: 'site-access-declined' }));
  replaceChildren(box, ...children);
}

/** Shows the notice in `box` while access is missing, and keeps it current as permissions change. */
export function showSiteAccessNotice(box: HTMLElement): void {
  const recheck = (): void => {
    void originsMissingAccess(browser.permissions).then((missing) => {
      render(box, missing, false, recheck);
      box.dataset.checked = 'true';
    });
  };
  browser.permissions.onAdded.addListener(recheck);
  browser.permissions.onRemoved.addListener(recheck);
  recheck();
}
