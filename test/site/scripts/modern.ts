/** A page written against `window.nhiCard`: status, live card events, and a read on request. */
import { errorCode, errorMessage, findNhiCard, type NhiCardEventType } from './lib-nhi-card-api';
import { byId, clearError, setStatus, showError } from './lib-page';

const availability = byId('availability', HTMLElement);
const cardState = byId('card-state', HTMLElement);
const events = byId('events', HTMLElement);
const button = byId('read', HTMLButtonElement);
const api = findNhiCard();

function showCardState(present: boolean): void {
  cardState.dataset.present = String(present);
  cardState.textContent = present ? '已插入健保卡' : '請插入健保卡';
}

if (api === undefined) {
  availability.dataset.state = 'absent';
  availability.textContent = '未偵測到 NHI Card Bridge 擴充功能';
  button.disabled = true;
} else {
  availability.dataset.state = 'present';
  availability.textContent = `NHI Card Bridge（API 版本 ${api.version}）`;
  const types: readonly NhiCardEventType[] = ['card-inserted', 'card-removed', 'reader-added', 'reader-removed'];
  for (const type of types) {
    api.on(type, ({ reader }) => {
      const item = document.createElement('li');
      item.dataset.testid = 'event';
      item.dataset.type = type;
      item.textContent = `${type} — ${reader}`;
      events.append(item);
      if (type === 'card-inserted') showCardState(true);
      if (type === 'card-removed') showCardState(false);
    });
  }
  api.status().then(
    (status) => {
      availability.dataset.host = status.host.connected ? 'connected' : (status.host.errorCode ?? 'disconnected');
      showCardState(status.cardPresent);
    },
    (error: unknown) => {
      showError(errorCode(error), errorMessage(error));
    },
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    clearError();
    setStatus('讀取中…');
    api
      .readCard()
      .then(
        (identity) => {
          byId('holder', HTMLElement).textContent = identity.name;
          byId('birth-date', HTMLElement).textContent = identity.birthDate;
          byId('result', HTMLElement).hidden = false;
          setStatus('完成');
        },
        (error: unknown) => {
          setStatus('');
          showError(errorCode(error), errorMessage(error));
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
}
