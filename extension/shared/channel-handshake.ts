/**
 * The DOM events that hand the private MessageChannel from the page-world script to the content
 * script. Both scripts run at document_start, before any page script, and the hand-over is
 * synchronous (dispatchEvent), so it is complete before a page script could listen: the content
 * script accepts the first offer by cancelling the event, and the page-world script knows at once
 * that its port is taken. Everything else then flows over the channel.
 */

/** Page world -> content script: a cancelable MessageEvent carrying the content script's port. */
export const CONNECT_EVENT = 'nhi-card-bridge:connect';
/** Content script -> page world: "I started after you; offer the channel again". */
export const RELAY_READY_EVENT = 'nhi-card-bridge:relay-ready';

/** Marks our offer; versioned so an old content script never accepts a new page side. */
export const HANDSHAKE_TAG = 'nhi-card-bridge/channel/v1';

export interface ConnectMessage {
  tag: typeof HANDSHAKE_TAG;
  type: 'connect';
}

/** True when `data` is exactly our connect offer. */
export function isConnectOffer(data: unknown): data is ConnectMessage {
  if (typeof data !== 'object' || data === null) return false;
  const record = data as Record<string, unknown>;
  return record.tag === HANDSHAKE_TAG && record.type === 'connect' && Object.keys(record).length === 2;
}
