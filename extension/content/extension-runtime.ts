/**
 * The browser's own runtime namespace, for the one call the content script makes
 * (runtime.connect): no polyfill is injected into pages for it. Both browsers give content scripts
 * `chrome.runtime` (Firefox as well as `browser`), and ports behave alike. `chrome` is read, not
 * `browser`: where Chromium has no `browser` global, a page element with id="browser" would
 * show through as one (DOM clobbering reaches the isolated world's window).
 */
import type { RuntimePortLike } from './background-link';

interface RuntimeLike {
  connect(connectInfo: { name: string }): RuntimePortLike;
}

/** Opens a port to the background; throws when the extension was reloaded or disabled. */
export function connectToBackground(name: string): RuntimePortLike {
  const runtime = (globalThis as { chrome?: { runtime?: RuntimeLike } }).chrome?.runtime;
  if (runtime === undefined) throw new Error('no extension runtime in this context');
  return runtime.connect({ name });
}
