/**
 * A page that tries every way to the card: `window.nhiCard` and the official component's
 * WebSocket. Served by the untrusted site, over plain HTTP, and inside a sandboxed frame; each
 * must come away with nothing. The outcome goes into #probe-result (and to the parent frame).
 */
import { COMPONENT_URL } from './lib-nhiicc';
import { errorCode, findNhiCard } from './lib-nhi-card-api';

/** What the probe saw. `cardData` is true if anything card-like reached the page. */
export interface ProbeResult {
  readonly origin: string;
  readonly secureContext: boolean;
  /** `absent`, or what readCard() did: `resolved` or the rejection code. */
  readonly nhiCard: string;
  /** How the component socket ended: `error` (with the close code), `open`, `timeout`. */
  readonly socket: { readonly outcome: 'error' | 'open' | 'timeout'; readonly closeCode?: number; readonly replies: readonly string[] };
  readonly cardData: boolean;
}

const SOCKET_WAIT_MS = 6000;

async function probeApi(): Promise<string> {
  const api = findNhiCard();
  if (api === undefined) return 'absent';
  try {
    await api.readCard();
    return 'resolved';
  } catch (error) {
    return errorCode(error);
  }
}

function probeSocket(): Promise<ProbeResult['socket']> {
  return new Promise((resolve) => {
    const replies: string[] = [];
    let outcome: ProbeResult['socket']['outcome'] = 'timeout';
    let socket: WebSocket;
    try {
      socket = new WebSocket(COMPONENT_URL);
    } catch {
      resolve({ outcome: 'error', replies });
      return;
    }
    const timer = setTimeout(() => {
      socket.close();
      resolve({ outcome, replies });
    }, SOCKET_WAIT_MS);
    socket.onopen = () => {
      outcome = 'open';
      socket.send('GetBasic');
    };
    socket.onmessage = (event: MessageEvent) => {
      replies.push(String(event.data));
    };
    socket.onerror = () => {
      outcome = 'error';
    };
    socket.onclose = (event: CloseEvent) => {
      if (outcome === 'open') return; // Wait out the timer for replies.
      clearTimeout(timer);
      resolve({ outcome, closeCode: event.code, replies });
    };
  });
}

async function probe(): Promise<void> {
  const [nhiCard, socket] = await Promise.all([probeApi(), probeSocket()]);
  const cardData = nhiCard === 'resolved' || socket.replies.some((reply) => !/^\d+$/.test(reply));
  const result: ProbeResult = { origin: self.origin, secureContext: window.isSecureContext, nhiCard, socket, cardData };
  const target = document.getElementById('probe-result');
  if (target !== null) {
    target.textContent = JSON.stringify(result);
    target.dataset.done = 'true';
  }
  if (window.parent !== window) window.parent.postMessage({ probeResult: result }, '*');
}

void probe();
