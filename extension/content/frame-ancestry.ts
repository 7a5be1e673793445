/**
 * The origins of the pages a frame sits inside, nearest first, as this content script can learn
 * them. Chromium lists them in `location.ancestorOrigins`. Firefox has no such list, so the script
 * walks up `window.parent`: a parent it may not read (cross-origin, and not a site the extension
 * is granted) makes the answer unknown, which the background treats as untrusted.
 */
import { MAX_ANCESTORS } from '../shared/frame-ancestry';

/** What the judgement reads from a window (the real one in the browser). */
export interface WindowLike {
  readonly parent: WindowLike;
  readonly location: { readonly origin: string; readonly ancestorOrigins?: ArrayLike<string> | undefined };
}

/** The ancestors' origins, nearest first ([] for a top-level page), or null when they cannot be known. */
export function frameAncestors(frame: WindowLike): string[] | null {
  const listed = frame.location.ancestorOrigins;
  if (listed !== undefined) return Array.from(listed);
  const origins: string[] = [];
  let current = frame;
  try {
    while (current.parent !== current) {
      if (origins.length >= MAX_ANCESTORS) return null; // Deeper than any real page: do not guess.
      current = current.parent;
      origins.push(current.location.origin);
    }
  } catch {
    return null; // A parent we may not look at: untrusted until proven otherwise.
  }
  return origins;
}
