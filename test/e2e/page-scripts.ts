/**
 * Scripts the tests and the benchmark run inside a trusted page (through TestPage.evaluate), as a
 * page's own script would: the legacy component socket and `window.nhiCard`. Timings come from
 * the page's performance.now(), so the driver's own round trips are not in them.
 */
import { COMPONENT_URL } from '../site/scripts/lib-nhiicc';

/** What timed round trips returned: one duration and one reply per round. */
export interface TimedReplies {
  readonly samplesMs: readonly number[];
  readonly replies: readonly string[];
}

/**
 * In-page helper: opens the component socket and resolves with `send(line) -> reply`. The socket
 * answers frames in order, so replies settle the waiting sends first come, first served.
 */
const OPEN_LEGACY_SOCKET = `async () => {
  const socket = new WebSocket(${JSON.stringify(COMPONENT_URL)});
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error('the component socket failed to open')), { once: true });
  });
  const waiting = [];
  socket.addEventListener('message', (event) => { waiting.shift()?.resolve(String(event.data)); });
  socket.addEventListener('close', () => { for (const send of waiting.splice(0)) send.reject(new Error('the component socket closed')); });
  const send = (line) => new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    socket.send(line);
  });
  return { socket, send };
}`;

/** `rounds` legacy `line` frames on one socket, each timed from send() to its reply, after `warmup` untimed ones. */
export function timedLegacyRoundTrips(rounds: number, line = 'GetBasic', warmup = 0): string {
  return `(async () => {
    const { socket, send } = await (${OPEN_LEGACY_SOCKET})();
    for (let round = 0; round < ${warmup}; round++) await send(${JSON.stringify(line)});
    const samplesMs = [];
    const replies = [];
    for (let round = 0; round < ${rounds}; round++) {
      const started = performance.now();
      const reply = await send(${JSON.stringify(line)});
      samplesMs.push(performance.now() - started);
      replies.push(reply);
    }
    socket.close();
    return { samplesMs, replies };
  })()`;
}

/** `rounds` calls of window.nhiCard.readCard(), one after another, each timed after `warmup` untimed ones; replies are the ID numbers. */
export function timedApiReads(rounds: number, warmup = 0): string {
  return `(async () => {
    for (let round = 0; round < ${warmup}; round++) await window.nhiCard.readCard();
    const samplesMs = [];
    const replies = [];
    for (let round = 0; round < ${rounds}; round++) {
      const started = performance.now();
      const identity = await window.nhiCard.readCard();
      samplesMs.push(performance.now() - started);
      replies.push(identity.idNumber);
    }
    return { samplesMs, replies };
  })()`;
}

/** `rounds` calls of window.nhiCard.status(), one after another, each timed after `warmup` untimed ones; replies say whether a card is present. */
export function timedApiStatus(rounds: number, warmup = 0): string {
  return `(async () => {
    for (let round = 0; round < ${warmup}; round++) await window.nhiCard.status();
    const samplesMs = [];
    const replies = [];
    for (let round = 0; round < ${rounds}; round++) {
      const started = performance.now();
      const status = await window.nhiCard.status();
      samplesMs.push(performance.now() - started);
      replies.push(String(status.cardPresent));
    }
    return { samplesMs, replies };
  })()`;
}

/** Milliseconds from the page's load event to the first GetBasic reply (socket opened after load). */
export interface FirstReply {
  readonly loadEventEndMs: number;
  readonly replyAtMs: number;
  readonly reply: string;
}

/** Opens the socket and sends GetBasic at once; times are on the page's clock (0 = navigation start). */
export function firstLegacyReply(): string {
  return `(async () => {
    const { socket, send } = await (${OPEN_LEGACY_SOCKET})();
    const reply = await send('GetBasic');
    const replyAtMs = performance.now();
    socket.close();
    const [navigation] = performance.getEntriesByType('navigation');
    return { loadEventEndMs: navigation.loadEventEnd, replyAtMs, reply };
  })()`;
}

/** What one tab's burst of concurrent reads returned, in issue order. */
export interface BurstResult {
  /** Legacy replies (or `error: ...`). */
  readonly legacy: readonly string[];
  /** readCard ID numbers (or `error: CODE`). */
  readonly api: readonly string[];
}

/**
 * Issues at once: the `frames` on each of `sockets` sockets (a socket answers its frames in order)
 * and `apiCalls` readCard() calls; resolves when all have settled. Legacy replies come socket by
 * socket, each socket's in `frames` order.
 */
export function concurrentReads(sockets: number, frames: readonly string[], apiCalls: number): string {
  return `(async () => {
    const open = ${OPEN_LEGACY_SOCKET};
    const opened = await Promise.all(Array.from({ length: ${sockets} }, () => open()));
    const failed = (error) => 'error: ' + String(error && (error.code || error.message) || error);
    const legacy = opened.flatMap(({ send }) => ${JSON.stringify(frames)}.map((line) => send(line).catch(failed)));
    const api = Array.from({ length: ${apiCalls} }, () => window.nhiCard.readCard().then((identity) => identity.idNumber, failed));
    const result = { legacy: await Promise.all(legacy), api: await Promise.all(api) };
    for (const { socket } of opened) socket.close();
    return result;
  })()`;
}

/**
 * Starts a read and leaves it running under `window[name]`; `settledRead(name)` waits for it. The
 * result is `ok: <idNumber or reply>` or `error: <code>` (legacy: a numeric reply is the page's error).
 */
export function startRead(name: string, kind: 'api' | 'legacy'): string {
  const slot = JSON.stringify(name);
  if (kind === 'api') {
    return `(() => {
      window[${slot}] = window.nhiCard.readCard().then((identity) => 'ok: ' + identity.idNumber, (error) => 'error: ' + String(error.code));
      return true;
    })()`;
  }
  return `(() => {
    window[${slot}] = (async () => {
      window[${slot} + ':socket'] ??= await (${OPEN_LEGACY_SOCKET})();
      const reply = await window[${slot} + ':socket'].send('GetBasic');
      return /^\\d+$/.test(reply) ? 'error: ' + reply : 'ok: ' + reply;
    })().catch((error) => 'error: ' + String(error.message));
    return true;
  })()`;
}

/** Waits for a read started by startRead(name). */
export function settledRead(name: string): string {
  return `window[${JSON.stringify(name)}]`;
}

/**
 * Opens the component socket for `timedGetBasicAfterInsertion` and counts card-inserted events
 * (window.nhiCard); resolves once the page is subscribed. Returns the count so far.
 */
export function watchInsertions(): string {
  return `(async () => {
    window.__nhiBenchSocket ??= await (${OPEN_LEGACY_SOCKET})();
    if (window.__nhiBenchInsertions === undefined) {
      window.__nhiBenchInsertions = 0;
      window.nhiCard.on('card-inserted', () => { window.__nhiBenchInsertions += 1; });
      await window.nhiCard.status(); // Answered after the subscription it follows.
    }
    return window.__nhiBenchInsertions;
  })()`;
}

/** Waits for card-inserted number `count + 1`, then times one GetBasic on the socket watchInsertions opened. */
export function timedGetBasicAfterInsertion(count: number): string {
  return `(async () => {
    while (window.__nhiBenchInsertions <= ${count}) await new Promise((resolve) => setTimeout(resolve, 2));
    const started = performance.now();
    const reply = await window.__nhiBenchSocket.send('GetBasic');
    return { samplesMs: [performance.now() - started], replies: [reply] };
  })()`;
}
