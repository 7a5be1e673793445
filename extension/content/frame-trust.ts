/**
 * The content script's own judgement of its frame, before anything reaches the background (which
 * judges again by what the browser reports). A sandboxed frame keeps its URL but has an opaque
 * origin, which `self.origin` shows as "null".
 */

/** The facts about a frame the judgement needs (the window in the browser). */
export interface FrameFacts {
  readonly origin: string;
  readonly isSecureContext: boolean;
  readonly protocol: string;
}

/** True when the frame may be served: secure, HTTPS, and not opaque. */
export function isServableFrame(frame: FrameFacts): boolean {
  return frame.origin !== 'null' && frame.isSecureContext && frame.protocol === 'https:' && frame.origin.startsWith('https://');
}
