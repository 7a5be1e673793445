/** Small DOM builders for the extension pages: text only, never HTML strings. */

/** Creates an element with optional class and text. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: { className?: string; text?: string; testId?: string } = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className !== undefined) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.testId !== undefined) node.dataset.testid = options.testId;
  return node;
}

/** The element with `id`, of the expected type; anything else is a bug in the page's HTML. */
export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`missing #${id}`);
  return node;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: HTMLElement, ...children: Node[]): void {
  parent.replaceChildren(...children);
}

/** A date and time in the browser's language. */
export function formatTime(at: number): string {
  return new Date(at).toLocaleString();
}
