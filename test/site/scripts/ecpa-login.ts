/** The eCPA 健保卡登入 replica: registration password (EnCrypt) plus the card's H_Sign. */
import { LegacyReadError, messageFor, readCardLegacy } from './lib-nhiicc';
import { byId, clearError, postJson, setStatus, showError } from './lib-page';

const form = byId('login', HTMLFormElement);
const button = byId('card-login', HTMLButtonElement);

async function run(password: string): Promise<void> {
  clearError();
  setStatus('讀取健保卡中，請稍候…');
  try {
    const proof = await readCardLegacy(password);
    setStatus('登入中…');
    const { status, value } = await postJson('/login/card', proof);
    if (status === 401) {
      setStatus('');
      showError('HTTP401', '註冊密碼錯誤');
      return;
    }
    if (status !== 200) {
      setStatus('');
      showError(`HTTP${status}`, '登入失敗');
      return;
    }
    byId('welcome-name', HTMLElement).textContent = String(value.name);
    byId('welcome', HTMLElement).hidden = false;
    form.hidden = true;
    setStatus('已登入');
  } catch (error) {
    setStatus('');
    const code = error instanceof LegacyReadError ? error.code : 'PAGE';
    showError(code, messageFor(code));
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  button.disabled = true;
  void run(byId('password', HTMLInputElement).value).finally(() => {
    button.disabled = false;
  });
});
