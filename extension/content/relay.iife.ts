/**
 * The content script (isolated world) on trusted origins, at document_start. It accepts the
 * private channel from the page world's script, which ran before any page script, and relays
 * between the page and the background. In a top-level page it also warms the native host as the page loads.
 * Built as a standalone IIFE so it is listening before the page's first script runs. It is
 * injected into every trusted frame, so it carries no schema library and no polyfill
 * (test/integration/injected-weight.test.ts holds it to that, on the built files).
 */
import { CONNECT_EVENT, isConnectOffer, RELAY_READY_EVENT } from '../shared/channel-handshake';
import { pagePortName } from '../shared/frame-ancestry';
import { createBackgroundLink } from './background-link';
import { connectToBackground } from './extension-runtime';
import { frameAncestors } from './frame-ancestry';
import { isServableFrame } from './frame-trust';
import { servePage } from './page-relay';

const servable = isServableFrame({ origin: self.origin, isSecureContext: window.isSecureContext, protocol: location.protocol });
// Read once, now: the background judges the frame by the pages around it as well as its own origin.
const ancestors = frameAncestors(window);
const link = createBackgroundLink(() => connectToBackground(pagePortName(ancestors)));
let accepted = false;

window.addEventListener(CONNECT_EVENT, (event: Event) => {
  // The page-world script offers its channel synchronously at document_start, before any page
  // script runs; the first offer wins and later ones (a page script imitating it) are ignored.
  if (accepted || !(event instanceof MessageEvent) || !isConnectOffer(event.data)) return;
  const [port] = event.ports;
  if (port === undefined || event.ports.length !== 1) return;
  accepted = true;
  event.preventDefault(); // Tells the page-world script, synchronously, that the port is taken.
  event.stopImmediatePropagation();
  servePage(port, link, servable);
});

// The manifest lists this script before the page-world one, so its offer normally finds us listening;
// if the page-world script ran first all the same, its offer found nobody: ask for another, now.
window.dispatchEvent(new Event(RELAY_READY_EVENT));

// Start the host now, so the page's first request does not wait ~150 ms for the spawn. Only a
// top-level page does: opening the runtime port costs a frame milliseconds at document_start (most
// in Firefox), and a trusted frame inside a trusted page finds the host already starting; frames
// connect on their first request instead.
if (servable && ancestors?.length === 0) {
  link.call('warm', {}).catch(() => undefined);
}
