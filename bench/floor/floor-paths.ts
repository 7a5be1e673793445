/**
 * The floor of the page -> background -> native host path in the bench's own run: a minimal
 * extension (bench/floor/extension: no checks, no consent, no schema) loaded next to ours, with an
 * echo native host that answers each frame at once (bench/floor/echo-host.mjs). Its rows show how
 * much of a page's round trip is the browser's own messaging, which no extension can avoid, and
 * what a direct page -> background port (`externally_connectable`, Chromium only) would save.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserName, BrowserSession } from '../../test/e2e/browser-session';
import type { TimedReplies } from '../../test/e2e/page-scripts';
import { URLS } from '../../test/e2e/site-urls';
import { summarize, type Summary } from '../stats';

export const FLOOR_EXTENSION_DIR = resolve(import.meta.dirname, 'extension');
const ECHO_HOST_SCRIPT = resolve(import.meta.dirname, 'echo-host.mjs');
const FLOOR_HOST_NAME = 'tw.nhi_card_bridge.bench_floor';
/** Chromium derives it from the manifest's `key`; Firefox reads the gecko id. */
const FLOOR_CHROME_ID = 'agokpbkgngegcneddjjmpijphagfmcoi';
const FLOOR_GECKO_ID = 'bench-floor@nhi-card-bridge.invalid';

export interface FloorFigures {
  /** Page -> content script -> background -> page, the message echoed by the background. */
  readonly viaContentScriptMs: Summary;
  /** The same plus background -> echo host -> background. */
  readonly viaContentScriptToHostMs: Summary;
  /** Page -> background directly (`externally_connectable`), echoed: Chromium only. */
  readonly directMs?: Summary;
  readonly directToHostMs?: Summary;
}

/** Where the browser of a launcher's `runDir` (test/e2e/*-session.ts) looks for native host manifests. */
export function hostManifestDir(browser: BrowserName, runDir: string): string {
  return browser === 'chromium' ? join(runDir, 'chromium-profile', 'NativeMessagingHosts') : join(runDir, 'home', '.mozilla', 'native-messaging-hosts');
}

/** Registers the echo host for the profile a launcher made in `runDir` (test/e2e/*-session.ts). */
export async function registerFloorHost(browser: BrowserName, runDir: string): Promise<void> {
  const launcher = join(runDir, 'bench-floor-host.sh');
  await writeFile(launcher, `#!/bin/sh\nexec '${process.execPath}' '${ECHO_HOST_SCRIPT}'\n`);
  await chmod(launcher, 0o755);
  const manifest = { name: FLOOR_HOST_NAME, description: 'bench floor echo host', path: launcher, type: 'stdio' };
  const allowed = browser === 'chromium' ? { allowed_origins: [`chrome-extension://${FLOOR_CHROME_ID}/`] } : { allowed_extensions: [FLOOR_GECKO_ID] };
  const dir = hostManifestDir(browser, runDir);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${FLOOR_HOST_NAME}.json`), JSON.stringify({ ...manifest, ...allowed }));
}

/** `rounds` echoes after `warmup` untimed ones, over a port the page opened `how`. */
function floorRoundTrips(how: 'content-script' | 'direct', toHost: boolean, rounds: number, warmup: number): string {
  const open =
    how === 'direct'
      ? `(() => {
          const port = chrome.runtime.connect(${JSON.stringify(FLOOR_CHROME_ID)});
          return { post: (message) => port.postMessage(message), listen: (listener) => port.onMessage.addListener(listener) };
        })()`
      : `(() => {
          const channel = new MessageChannel();
          window.postMessage('nhi-bench-floor', '*', [channel.port2]);
          return { post: (message) => channel.port1.postMessage(message), listen: (listener) => { channel.port1.onmessage = (event) => listener(event.data); } };
        })()`;
  return `(async () => {
    const link = ${open};
    let answered;
    link.listen((message) => answered(message));
    const send = (id) => new Promise((resolve) => {
      answered = resolve;
      link.post({ kind: 'request', id, method: 'legacy', params: { line: 'GetVersion' }, toHost: ${String(toHost)} });
    });
    for (let round = 0; round < ${warmup}; round++) await send(round);
    const samplesMs = [];
    const replies = [];
    for (let round = 0; round < ${rounds}; round++) {
      const started = performance.now();
      const reply = await send(${warmup} + round);
      samplesMs.push(performance.now() - started);
      replies.push(String(reply.id === ${warmup} + round));
    }
    return { samplesMs, replies };
  })()`;
}

/** Each loop in a fresh tab, as the bench's own loops; every echo must come back to its request. */
export async function measureFloor(session: BrowserSession, browser: BrowserName, rounds: number, warmup: number): Promise<FloorFigures> {
  const loop = async (how: 'content-script' | 'direct', toHost: boolean): Promise<Summary> => {
    const page = await session.newPage(URLS.blank);
    try {
      const timed = await page.evaluate<TimedReplies>(floorRoundTrips(how, toHost, rounds, warmup));
      if (timed.replies.some((matched) => matched !== 'true')) throw new Error(`the floor extension answered out of order (${how})`);
      return summarize(timed.samplesMs);
    } finally {
      await page.close();
    }
  };
  const viaContentScriptMs = await loop('content-script', false);
  const viaContentScriptToHostMs = await loop('content-script', true);
  if (browser !== 'chromium') return { viaContentScriptMs, viaContentScriptToHostMs };
  return { viaContentScriptMs, viaContentScriptToHostMs, directMs: await loop('direct', false), directToHostMs: await loop('direct', true) };
}
