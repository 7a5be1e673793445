// Echoes every message at once; `toHost: true` goes through the echo native host first.
const api = globalThis.browser ?? globalThis.chrome;
let host;
const waiting = new Map();

function viaHost(message, answer) {
  if (host === undefined) {
    host = api.runtime.connectNative('tw.nhi_card_bridge.bench_floor');
    host.onMessage.addListener((reply) => {
      const send = waiting.get(reply.id);
      waiting.delete(reply.id);
      send?.(reply);
    });
    host.onDisconnect.addListener(() => {
      host = undefined;
    });
  }
  waiting.set(message.id, answer);
  host.postMessage(message);
}

function serve(port) {
  port.onMessage.addListener((message) => {
    if (message.toHost === true) viaHost(message, (reply) => port.postMessage(reply));
    else port.postMessage(message);
  });
}

api.runtime.onConnect.addListener(serve);
api.runtime.onConnectExternal?.addListener(serve);
