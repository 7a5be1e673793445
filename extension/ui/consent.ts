/**
 * The consent prompt: names the service and its exact origin, each field it will receive (grouped,
 * in plain words), how long an "allow" lasts and how to undo it, and sends the answer to the
 * background, which closes this window. Closing it without an answer counts as deny. Allow works
 * only once the window has been visible and focused for a moment (allow-arming.ts).
 */
import '../shared/zod-jitless';
import browser from 'webextension-polyfill';
import type { UiResults } from '../shared/ui-protocol';
import { armAfterSteadyFocus, documentArmingHost } from './allow-arming';
import { callBackground } from './background-client';
import { byId, element, replaceChildren } from './dom';
import { fieldLabel, groupFields } from './field-labels';
import { localizePage, t, uiLanguageIsChinese } from './i18n';

const promptId = new URLSearchParams(location.search).get('prompt') ?? '';

function showError(): void {
  const error = byId('error', HTMLElement);
  error.textContent = t('consentExpired');
  error.hidden = false;
  for (const id of ['allow', 'deny']) byId(id, HTMLButtonElement).disabled = true;
}

async function answer(allow: boolean): Promise<void> {
  const remember = byId('remember', HTMLInputElement).checked;
  try {
    await callBackground('consentAnswer', { promptId, allow, remember });
    window.close();
  } catch {
    showError();
  }
}

function render(details: UiResults['consentDetails']): void {
  const service = byId('service', HTMLElement);
  if (details.service === undefined) {
    service.textContent = t('consentAddedSite');
    service.classList.add('muted');
  } else {
    service.textContent = uiLanguageIsChinese() ? details.service.zhTW : details.service.en;
  }
  byId('origin', HTMLElement).textContent = details.origin;
  if (details.samEndpoint !== undefined) {
    // The card's answer goes to a service other than the NHI's: say where, and that this allow is for this request only.
    const endpoint = byId('sam-endpoint', HTMLElement);
    endpoint.textContent = t('consentSamEndpoint', details.samEndpoint);
    endpoint.hidden = false;
    byId('lasts', HTMLElement).textContent = t('consentLastsOnce');
    byId('remember-choice', HTMLElement).hidden = true;
  }
  document.title = `${t('consentTitle')} — ${details.origin}`;
  replaceChildren(
    byId('fields', HTMLElement),
    ...groupFields(details.fields).map((group) => {
      const box = element('section', { className: 'field-group' });
      const list = element('ul');
      list.append(...group.fields.map((field) => element('li', { text: fieldLabel(field) })));
      box.append(element('h2', { text: t(group.titleKey) }), list);
      return box;
    }),
  );
}

/** Fits the window to what it shows, so nothing needs scrolling and nothing is left empty. */
async function fitWindow(): Promise<void> {
  const chrome = window.outerHeight - window.innerHeight;
  const height = Math.min(screen.availHeight, Math.ceil(document.documentElement.scrollHeight + chrome));
  await browser.windows.update(browser.windows.WINDOW_ID_CURRENT, { height });
}

async function show(): Promise<void> {
  localizePage();
  try {
    render(await callBackground('consentDetails', { promptId }));
  } catch {
    showError();
    return;
  }
  fitWindow().catch(() => undefined); // A window the browser will not resize still works; it scrolls.
  const allowButton = byId('allow', HTMLButtonElement);
  const arming = armAfterSteadyFocus(documentArmingHost(allowButton, byId('arming-hint', HTMLElement)));
  allowButton.addEventListener('click', () => {
    // A disabled button gets no clicks; this guards against anything that re-enables it early.
    if (arming.armed()) void answer(true);
  });
  byId('deny', HTMLElement).addEventListener('click', () => void answer(false));
}

void show();
