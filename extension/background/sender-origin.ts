/**
 * The origin of the frame behind a message, as the browser reports it — never as a page claims
 * it. Chromium reports `sender.origin` (the frame's real origin: "null" for a sandboxed frame even
 * when its URL looks trusted); where a browser does not, the origin of `sender.url` is used, and
 * the content script has already refused opaque frames by its own check.
 */

/** What the judgement reads from runtime.MessageSender. */
export interface SenderFacts {
  readonly id?: string | undefined;
  readonly url?: string | undefined;
  readonly origin?: unknown;
  readonly tab?: unknown;
  readonly frameId?: number | undefined;
}

/**
 * The reported origin of the sending frame, or undefined when the sender is not one of our own
 * content scripts in a tab (another extension, an extension page, a malformed sender).
 */
export function reportedFrameOrigin(sender: SenderFacts | undefined, extensionId: string): string | undefined {
  if (sender?.id !== extensionId) return undefined;
  if (sender.tab === undefined || sender.tab === null || typeof sender.frameId !== 'number') return undefined;
  if (typeof sender.origin === 'string') return sender.origin;
  if (sender.url === undefined) return undefined;
  try {
    return new URL(sender.url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The origins of the pages around the sending frame, nearest first, or null when unknown. A
 * top-level frame (frameId 0) has none, whatever was claimed. For a subframe: the list its content
 * script read (page scripts cannot alter it), plus the tab's top-level origin wherever the browser
 * reports the tab's URL to us.
 */
export function reportedFrameAncestors(sender: SenderFacts | undefined, claimed: readonly string[] | null): string[] | null {
  if (sender?.frameId === 0) return [];
  if (claimed === null) return null;
  const ancestors = [...claimed];
  const tabUrl = typeof sender?.tab === 'object' && sender.tab !== null ? (sender.tab as { url?: unknown }).url : undefined;
  if (typeof tabUrl === 'string') {
    try {
      const top = new URL(tabUrl).origin;
      if (!ancestors.includes(top)) ancestors.push(top);
    } catch {
      return null; // The browser's own report is unreadable: do not guess.
    }
  }
  return ancestors;
}

/** True when the sender is one of our extension pages (popup, options, consent), not a content script. */
export function isExtensionPageSender(sender: SenderFacts | undefined, extensionId: string, extensionBaseUrl: string): boolean {
  if (sender?.id !== extensionId || sender.url === undefined) return false;
  return sender.url.startsWith(extensionBaseUrl);
}
