/* global window */
// Relays a port the page hands over with window.postMessage('nhi-bench-floor') to the background.
const api = globalThis.browser ?? globalThis.chrome;
window.addEventListener('message', (event) => {
  if (event.source !== window || event.data !== 'nhi-bench-floor' || event.ports.length !== 1) return;
  const pagePort = event.ports[0];
  const port = api.runtime.connect({ name: 'floor' });
  port.onMessage.addListener((message) => {
    pagePort.postMessage(message);
  });
  pagePort.onmessage = (message) => {
    port.postMessage(message.data);
  };
});
