/** Shared by the spoofing frame (spoofing-frame.ts) and the test that embeds it (test/e2e/security.test.ts). */

/** Marks every spoofed value, so a leak into the page's results is obvious. */
export const SPOOF_MARKER = 'SPOOFED-BY-FRAME';
/** How long the frame keeps spoofing and listening before it reports. */
export const SPOOF_MS = 1500;

/** What the frame posts to its parent (as `{ spoofReport }`) when it stops. */
export interface SpoofReport {
  /** The frame's own origin: proves it loaded where the test meant it to ("null" for data:). */
  readonly origin: string;
  /** Whether `window.nhiCard` exists in the frame: no content script may run there. */
  readonly nhiCard: boolean;
  /** Everything that came back on the port it offered. */
  readonly received: readonly unknown[];
}
