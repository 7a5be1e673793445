/**
 * Runs in the page's own JavaScript world at document_start, before any page script, on trusted
 * origins only. Opens the private channel to the content script, then installs the legacy
 * WebSocket shim, the answer to the component's HTTP API and `window.nhiCard`. Built as a standalone IIFE so it runs synchronously.
 * Injected into every trusted frame: no schema library, no polyfill (test/integration/injected-weight.test.ts).
 */
import { CONNECT_EVENT, HANDSHAKE_TAG, RELAY_READY_EVENT, type ConnectMessage } from '../shared/channel-handshake';
import { NhiCardApi } from './nhi-card-api';
import { installHttpTransport } from './nhiicc-http/install-http-transport';
import { openPageBridge, refusingBridge, type PageBridge } from './page-bridge';
import { bareObject } from './page-natives';
import * as natives from './page-natives';
import { installWebSocketShim } from './websocket-shim';

function openBridge(): PageBridge {
  // Sandboxed and insecure frames are refused here and again by the content script and background.
  if (window.origin === 'null' || !window.isSecureContext || location.protocol !== 'https:') {
    return refusingBridge('ORIGIN_NOT_ALLOWED', 'this frame is sandboxed or not served over HTTPS');
  }
  return openPageBridge({
    offer(port) {
      const message: ConnectMessage = { tag: HANDSHAKE_TAG, type: 'connect' };
      // Synchronous: the content script's listener runs inside dispatchEvent and cancels the
      // event to take the port, before any page script can exist to see it.
      const init = bareObject({ data: message, ports: [port], cancelable: true });
      return !natives.dispatchEvent(window, new natives.NativeMessageEvent(CONNECT_EVENT, init));
    },
    onRelayReady(callback) {
      natives.addEventListener(window, RELAY_READY_EVENT, callback, bareObject({ once: true }));
    },
  });
}

const bridge = openBridge();

installWebSocketShim(window, {
  open: () => natives.promiseThen(bridge.call('legacyOpen', {}), () => undefined),
  send: (line: string) => natives.promiseThen(bridge.call('legacy', { line }), (result) => result.reply),
});

// The 2024 page library's HTTP API, answered by the background so its loopback requests never leave the page.
installHttpTransport(window, (name, body) => natives.promiseThen(bridge.call('http', { name, body }), (result) => result.body));

natives.defineProperty(window, 'nhiCard', { value: new NhiCardApi(bridge), enumerable: false, configurable: false, writable: false });
