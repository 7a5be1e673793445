/** Small DOM helpers the replica pages share. */

/** The element with `id`, which the page's HTML is known to contain. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`page is missing #${id}`);
  return element;
}

/** Shows an error with its code (also as data-code, which tests read). */
export function showError(code: string, message: string): void {
  const error = byId('error', HTMLElement);
  error.dataset.code = code;
  error.textContent = `${message}（錯誤代碼：${code}）`;
  error.hidden = false;
}

export function clearError(): void {
  const error = byId('error', HTMLElement);
  delete error.dataset.code;
  error.textContent = '';
  error.hidden = true;
}

export function setStatus(text: string): void {
  byId('status', HTMLElement).textContent = text;
}

/** POSTs JSON; resolves with the status and the parsed answer. */
export async function postJson(path: string, body: unknown): Promise<{ status: number; value: Record<string, unknown> }> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, value: (await response.json()) as Record<string, unknown> };
}
