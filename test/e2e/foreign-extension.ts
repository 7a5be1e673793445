/**
 * A tiny second extension, built into a temp dir per test, that tries to use ours the way a
 * hostile or careless extension would: runtime.sendMessage and runtime.connect to our extension ID
 * with our own message shapes (a UI request, a page request, a port named like our content
 * scripts'). A page on a trusted origin asks it to try (DOM event `foreign-probe`); it writes what
 * it got back into `<html data-foreign-result>`. Manifests are written from typed objects.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../native-host/protocol/extension-ids';
import { PAGE_PORT_NAME } from '../../extension/content/background-link';
import type { BrowserName } from './browser-session';
import { NHI_HOST } from '../site/site-hosts';

/** What one attempt got: a reply (and which), an error, or for the port what came over it. */
export interface ForeignAttempt {
  readonly outcome: 'resolved' | 'rejected';
  readonly reply?: unknown;
  readonly error?: string;
}

export interface ForeignProbeResult {
  /** sendMessage with a UI request for the (masked) card holder. */
  readonly uiHolder: ForeignAttempt;
  /** sendMessage adding evil.example.com to the allowlist. */
  readonly uiAddOrigin: ForeignAttempt;
  /** sendMessage shaped like a page request. */
  readonly pageRequest: ForeignAttempt;
  /** A port named like our content scripts', with readCard and GetBasic requests on it. */
  readonly port: { readonly opened: boolean; readonly received: readonly unknown[]; readonly disconnected: boolean; readonly error?: string };
}

/** How long the foreign extension listens on its port for anything at all. */
const PORT_LISTEN_MS = 3000;

function backgroundScript(targetId: string): string {
  return `
const api = globalThis.browser ?? globalThis.chrome;
const TARGET = ${JSON.stringify(targetId)};
async function attempt(message) {
  try {
    const reply = await api.runtime.sendMessage(TARGET, message);
    return { outcome: 'resolved', reply: reply === undefined ? null : reply };
  } catch (error) {
    return { outcome: 'rejected', error: String(error && error.message || error) };
  }
}
function tryPort() {
  return new Promise((resolve) => {
    const received = [];
    let port;
    try {
      port = api.runtime.connect(TARGET, { name: ${JSON.stringify(PAGE_PORT_NAME)} });
    } catch (error) {
      resolve({ opened: false, received, disconnected: true, error: String(error && error.message || error) });
      return;
    }
    let done = false;
    const finish = (disconnected) => { if (!done) { done = true; resolve({ opened: true, received, disconnected }); } };
    port.onMessage.addListener((message) => received.push(message));
    port.onDisconnect.addListener(() => finish(true));
    try {
      port.postMessage({ kind: 'request', id: 1, method: 'readCard', params: {} });
      port.postMessage({ kind: 'request', id: 2, method: 'legacy', params: { line: 'GetBasic' } });
    } catch (error) {
      finish(true);
    }
    setTimeout(() => finish(false), ${PORT_LISTEN_MS});
  });
}
api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message === null || typeof message !== 'object' || message.probe !== true) return false;
  (async () => ({
    uiHolder: await attempt({ channel: 'nhi-card-ui', method: 'holder', params: {} }),
    uiAddOrigin: await attempt({ channel: 'nhi-card-ui', method: 'addOrigin', params: { origin: 'https://evil.example.com' } }),
    pageRequest: await attempt({ kind: 'request', id: 1, method: 'readCard', params: {} }),
    port: await tryPort(),
  }))().then(sendResponse);
  return true;
});
`;
}

const CONTENT_SCRIPT = `
document.addEventListener('foreign-probe', () => {
  const api = globalThis.browser ?? globalThis.chrome;
  Promise.resolve(api.runtime.sendMessage({ probe: true })).then(
    (result) => { document.documentElement.dataset.foreignResult = JSON.stringify(result); },
    (error) => { document.documentElement.dataset.foreignResult = JSON.stringify({ failed: String(error && error.message || error) }); },
  );
});
`;

/** Chromium needs MV3 (a service worker); Firefox's MV2 keeps its content script's host access granted. */
function manifestFor(browser: BrowserName): Record<string, unknown> {
  const contentScripts = [{ matches: [`https://${NHI_HOST}/*`], js: ['content.js'], run_at: 'document_start' }];
  if (browser === 'chromium') {
    return { manifest_version: 3, name: 'Foreign probe', version: '1.0', background: { service_worker: 'background.js' }, content_scripts: contentScripts };
  }
  return {
    manifest_version: 2,
    name: 'Foreign probe',
    version: '1.0',
    background: { scripts: ['background.js'] },
    content_scripts: contentScripts,
    browser_specific_settings: { gecko: { id: 'foreign-probe@nhi-card-bridge.test' } },
  };
}

export interface ForeignExtension {
  readonly dir: string;
  remove(): Promise<void>;
}

/** Writes the foreign extension for `browser`, aimed at our extension's ID there. */
export async function buildForeignExtension(browser: BrowserName): Promise<ForeignExtension> {
  const dir = await mkdtemp(join(tmpdir(), `nhi-foreign-${browser}-`));
  const target = browser === 'chromium' ? CHROME_EXTENSION_ID : GECKO_EXTENSION_ID;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifestFor(browser), null, 2));
  await writeFile(join(dir, 'background.js'), backgroundScript(target));
  await writeFile(join(dir, 'content.js'), CONTENT_SCRIPT);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
