/**
 * The first thing many government pages do: at their load event, open the component socket and
 * ask for GetVersion. The bench and the first-use tests read what happened, and when (the page's
 * clock: 0 = navigation start; `timeOrigin` puts it on the wall clock), from #first-use's data.
 */
import { COMPONENT_URL } from './lib-nhiicc';

const SOCKET_WAIT_MS = 10_000;

function show(fields: Readonly<Record<string, string | number>>): void {
  const element = document.getElementById('first-use');
  if (element === null) return;
  for (const [name, value] of Object.entries(fields)) element.dataset[name] = String(value);
}

window.addEventListener('load', () => {
  show({ timeOrigin: performance.timeOrigin, loadMs: performance.now() });
  const socket = new WebSocket(COMPONENT_URL);
  const timer = setTimeout(() => {
    show({ outcome: 'timeout' });
    socket.close();
  }, SOCKET_WAIT_MS);
  socket.onopen = () => {
    show({ openMs: performance.now() });
    socket.send('GetVersion');
  };
  socket.onmessage = (event: MessageEvent) => {
    clearTimeout(timer);
    // GetVersion carries no card data, so the reply itself may be shown.
    show({ replyMs: performance.now(), reply: String(event.data), outcome: 'reply' });
    socket.close();
  };
  socket.onerror = () => {
    clearTimeout(timer);
    show({ errorMs: performance.now(), outcome: 'error' });
  };
});
