/** The 忘記註冊密碼 flow both replicas share: read the card proof, have the back end check it, show the mail. */
import { messageFor } from './lib-nhiicc';
import { byId, clearError, postJson, setStatus, showError } from './lib-page';

/** Wires 讀取 to `readProof`; `codeOf` names the NHIICC code of a failure the reader knows, else undefined. */
export function wireForgotPassword(readProof: () => Promise<unknown>, codeOf: (error: unknown) => string | undefined): HTMLButtonElement {
  const button = byId('read', HTMLButtonElement);

  async function run(): Promise<void> {
    clearError();
    byId('result', HTMLElement).hidden = true;
    setStatus('讀取健保卡中，請稍候…');
    try {
      const proof = await readProof();
      setStatus('驗證中…');
      const { status, value } = await postJson('/services/forgot-password/verify', proof);
      if (status !== 200) {
        setStatus('');
        showError(`HTTP${status}`, '身分驗證失敗');
        return;
      }
      byId('holder', HTMLElement).textContent = String(value.name);
      byId('masked-email', HTMLElement).textContent = String(value.maskedEmail);
      byId('result', HTMLElement).hidden = false;
      setStatus('完成');
    } catch (error) {
      setStatus('');
      const code = codeOf(error) ?? 'PAGE';
      showError(code, messageFor(code));
    }
  }

  button.addEventListener('click', () => {
    button.disabled = true;
    void run().finally(() => {
      button.disabled = false;
    });
  });
  return button;
}
