/**
 * The consent prompt: names the site (its exact origin) and each field it will receive, and
 * sends the answer to the background, which closes this window. Closing it without an answer
 * counts as deny.
 */
import '../shared/zod-jitless';
import { callBackground } from './background-client';
import { byId, element, replaceChildren } from './dom';
import { fieldLabel } from './field-labels';
import { localizePage, t } from './i18n';

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

async function show(): Promise<void> {
  localizePage();
  try {
    const details = await callBackground('consentDetails', { promptId });
    byId('origin', HTMLElement).textContent = details.origin;
    document.title = `${t('consentTitle')} — ${details.origin}`;
    replaceChildren(byId('fields', HTMLElement), ...details.fields.map((field) => element('li', { text: fieldLabel(field) })));
  } catch {
    showError();
    return;
  }
  byId('allow', HTMLElement).addEventListener('click', () => void answer(true));
  byId('deny', HTMLElement).addEventListener('click', () => void answer(false));
}

void show();
