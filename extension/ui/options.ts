/**
 * The options page: diagnostics (each failed check with its fix), the trusted sites (built-in,
 * by policy read-only, and the user's own with a warning), this session's grants and remembered
 * consent decisions, each revocable.
 */
import '../shared/zod-jitless';
import browser from 'webextension-polyfill';
import { canonicalOrigin, matchPatternFor } from '../shared/trusted-origins';
import type { DiagnosticCheck } from '../shared/ui-protocol';
import { callBackground } from './background-client';
import { byId, element, formatTime, joinList, replaceChildren } from './dom';
import { fieldLabel } from './field-labels';
import { localizePage, t, uiLanguageIsChinese } from './i18n';
import { showSessionGrants } from './session-grants';

const CHECK_KEYS: Record<DiagnosticCheck['id'], string> = {
  'host-registered': 'checkHostRegistered',
  'host-reachable': 'checkHostReachable',
  pcsc: 'checkPcsc',
  readers: 'checkReaders',
  card: 'checkCard',
  'test-read': 'checkTestRead',
};
const STATUS_MARKS: Record<DiagnosticCheck['status'], { mark: string; className: string }> = {
  pass: { mark: '✔', className: 'ok' },
  fail: { mark: '✘', className: 'bad' },
  skip: { mark: '–', className: 'skip' },
};

function renderCheck(check: DiagnosticCheck): HTMLElement {
  const { mark, className } = STATUS_MARKS[check.status];
  const box = element('div', { className: `check ${className}`, testId: `check-${check.id}` });
  box.dataset.status = check.status;
  const title = `${t(CHECK_KEYS[check.id])}${check.detail === undefined ? '' : ` — ${check.detail}`}`;
  box.append(element('span', { text: mark }), element('span', { text: title }));
  if (check.fix !== undefined) box.append(element('span', { className: 'fix', text: t(check.fix) }));
  return box;
}

async function runDiagnostics(): Promise<void> {
  const target = byId('diagnostics', HTMLElement);
  replaceChildren(target, element('p', { className: 'muted', text: t('loading') }));
  try {
    const { checks } = await callBackground('diagnostics', {});
    replaceChildren(target, ...checks.map(renderCheck));
  } catch {
    replaceChildren(target, element('p', { className: 'bad', text: t('backgroundUnavailable') }));
  }
}

function originRow(origin: string, granted: boolean, actions: HTMLElement[]): HTMLElement {
  const item = element('li');
  item.append(element('span', { className: 'origin-small', text: origin }));
  if (!granted) item.append(element('span', { className: 'bad', text: ` — ${t('permissionMissing')} ` }));
  item.append(...actions);
  return item;
}

function grantButton(origin: string): HTMLElement {
  const button = element('button', { text: t('grantButton') });
  button.addEventListener('click', () => {
    void browser.permissions.request({ origins: [matchPatternFor(origin)] }).then(() => showOrigins());
  });
  return button;
}

async function showOrigins(): Promise<void> {
  const { builtIn, managed, user } = await callBackground('origins', {});
  replaceChildren(byId('built-in', HTMLElement), ...builtIn.map((entry) => element('li', { text: `${uiLanguageIsChinese() ? entry.name.zhTW : entry.name.en} — ${entry.origin}` })));

  const managedList = element('ul');
  for (const entry of managed) managedList.append(originRow(entry.origin, entry.granted, entry.granted ? [] : [grantButton(entry.origin)]));
  replaceChildren(byId('managed', HTMLElement), managed.length === 0 ? element('p', { className: 'muted', text: t('noManagedOrigins') }) : managedList);

  const userList = element('ul');
  for (const entry of user) {
    const remove = element('button', { text: t('removeButton') });
    remove.addEventListener('click', () => {
      void callBackground('removeOrigin', { origin: entry.origin }).then(() => showOrigins());
    });
    userList.append(originRow(entry.origin, entry.granted, [...(entry.granted ? [] : [grantButton(entry.origin)]), remove]));
  }
  replaceChildren(byId('user', HTMLElement), user.length === 0 ? element('p', { className: 'muted', text: t('noUserOrigins') }) : userList);
}

async function showDecisions(): Promise<void> {
  const { decisions } = await callBackground('consentList', {});
  if (decisions.length === 0) {
    replaceChildren(byId('decisions', HTMLElement), element('p', { className: 'muted', text: t('noDecisions') }));
    return;
  }
  const list = element('ul');
  for (const decision of decisions) {
    const what = decision.allow ? `${t('decisionAllowed')}: ${joinList(decision.fields.map(fieldLabel))}` : t('decisionDenied');
    const item = element('li');
    const revoke = element('button', { text: t('revokeButton') });
    revoke.addEventListener('click', () => {
      void callBackground('consentRevoke', { origin: decision.origin }).then(() => showDecisions());
    });
    item.append(element('span', { className: 'origin-small', text: decision.origin }), document.createTextNode(` — ${what} (${formatTime(decision.decidedAt)}) `), revoke);
    list.append(item);
  }
  replaceChildren(byId('decisions', HTMLElement), list);
}

function showAddError(message: string | undefined): void {
  const error = byId('add-error', HTMLElement);
  error.hidden = message === undefined;
  error.textContent = message ?? '';
}

byId('add-origin', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId('origin-input', HTMLInputElement);
  const origin = canonicalOrigin(input.value.trim());
  if (origin === undefined) {
    showAddError(t('addOriginInvalid'));
    return;
  }
  if (!window.confirm(t('addOriginConfirm', origin))) return;
  // The permission request must run in the click's user gesture, so it happens here, not in the background.
  browser.permissions.request({ origins: [matchPatternFor(origin)] }).then(
    async (granted) => {
      if (!granted) {
        showAddError(t('addOriginNotGranted'));
        return;
      }
      await callBackground('addOrigin', { origin });
      input.value = '';
      showAddError(undefined);
      await showOrigins();
    },
    () => {
      showAddError(t('addOriginNotGranted'));
    },
  );
});

localizePage();
byId('run-diagnostics', HTMLElement).addEventListener('click', () => void runDiagnostics());
void runDiagnostics();
void showOrigins();
void showDecisions();
void showSessionGrants(byId('session-grants', HTMLElement));
