/**
 * A late page script on a trusted page that hooks the built-ins a page-world bridge might use
 * (docs/security.md, "Later page scripts"), then lets the site read the card the way a site does
 * (`await window.nhiCard.readCard()`, and a legacy socket with `onmessage`), then tries to send a
 * read of its own over any port it caught. Everything the hooks saw is returned as text, so a test
 * can assert that no card data passed through them.
 */
import { COMPONENT_URL } from '../site/scripts/lib-nhiicc';

/** What the hooks saw and what the site got. */
export interface HookedReads {
  /** The site's own results: the API read's ID number and the legacy GetBasic reply. */
  readonly site: { readonly api: string; readonly legacy: string };
  /** Everything any hook saw, as text. */
  readonly seen: readonly string[];
  /** Message ports the postMessage hook caught. */
  readonly portsCaught: number;
  /** Replies to the hooking script's own requests on the caught ports. */
  readonly ownReplies: readonly string[];
}

/** Card fields whose assignment an Object.prototype setter watches. */
const WATCHED_KEYS = ['idNumber', 'name', 'birthDate', 'cardNumber', 'reply', 'value', 'data', 'detail'];

/** The script, for page.evaluate; waits `ownRequestWaitMs` for replies to its own requests. */
export function hookedReads(ownRequestWaitMs: number): string {
  return `(async () => {
    const seen = [];
    const ports = [];
    const stringify = JSON.stringify;
    const note = (value) => {
      try { seen.push(typeof value === 'string' ? value : String(stringify(value))); } catch { seen.push(String(value)); }
    };
    const restore = [];
    const replace = (target, key, make) => {
      const original = Object.getOwnPropertyDescriptor(target, key);
      Object.defineProperty(target, key, { ...original, value: make(original.value) });
      restore.push(() => Object.defineProperty(target, key, original));
    };

    replace(MessagePort.prototype, 'postMessage', (original) => function (message, ...rest) {
      ports.push(this);
      note(message);
      return original.call(this, message, ...rest);
    });
    replace(EventTarget.prototype, 'addEventListener', (original) => function (type, listener, options) {
      const wrapped = typeof listener === 'function' ? function (event) { note(event.data ?? event.detail); return listener.call(this, event); } : listener;
      return original.call(this, type, wrapped, options);
    });
    replace(EventTarget.prototype, 'dispatchEvent', (original) => function (event) {
      note(event.data ?? event.detail);
      return original.call(this, event);
    });
    replace(JSON, 'parse', (original) => function (...args) { note(args[0]); return original.apply(this, args); });
    replace(JSON, 'stringify', (original) => function (...args) { const text = original.apply(this, args); if (typeof text === 'string') seen.push(text); return text; });
    replace(Promise.prototype, 'then', (original) => function (onFulfilled, onRejected) {
      const watched = typeof onFulfilled === 'function' ? (value) => { note(value); return onFulfilled(value); } : onFulfilled;
      return original.call(this, watched, onRejected);
    });
    for (const key of ${JSON.stringify(WATCHED_KEYS)}) {
      // No prototype on the descriptor: it must not inherit the 'value' accessor defined just before.
      Object.defineProperty(Object.prototype, key, {
        __proto__: null,
        configurable: true,
        set(value) {
          note(value);
          Object.defineProperty(this, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
        },
      });
      restore.push(() => delete Object.prototype[key]);
    }

    try {
      // The site, written as sites are: await (never .then, which the hook watches) on the API,
      // onmessage on the legacy socket. What the site's own code hands to a hooked built-in is
      // the site's business (docs/security.md); only our code's paths are under test here.
      const api = (await window.nhiCard.readCard()).idNumber;
      const socket = new WebSocket(${JSON.stringify(COMPONENT_URL)});
      await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
      const legacy = await new Promise((resolve) => { socket.onmessage = (event) => resolve(String(event.data)); socket.send('GetBasic'); });
      socket.close();
      const site = { api, legacy };

      // The hooking script's own requests, on whatever port it caught.
      const ownReplies = [];
      const caught = [...new Set(ports)];
      for (const port of caught) {
        EventTarget.prototype.addEventListener.call(port, 'message', (event) => ownReplies.push(stringify(event.data)));
        port.postMessage({ kind: 'request', id: 2000000001, method: 'readCard', params: {} });
        port.postMessage({ kind: 'request', id: 2000000002, method: 'legacy', params: { line: 'GetBasic' } });
      }
      await new Promise((resolve) => setTimeout(resolve, ${ownRequestWaitMs}));
      return { site, seen, portsCaught: caught.length, ownReplies };
    } finally {
      for (const undo of restore.reverse()) undo();
    }
  })()`;
}
