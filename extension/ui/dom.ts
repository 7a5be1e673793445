/** Small DOM builders for the extension pages: text only, never HTML strings. */
import { uiLanguage } from './i18n';
import { formatDateTime, formatList } from './intl-format';

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

/** A date and time in the UI's language (the extension's, not the page's or the OS's). */
export function formatTime(at: number): string {
  return formatDateTime(at, uiLanguage());
}

/** Items as a list in the UI's language. */
export function joinList(items: readonly string[]): string {
  return formatList(items, uiLanguage());
}
