/**
 * The background entry: one native host client, the page router for content-script ports, the
 * UI router for extension pages, consent, the content scripts of extra origins, the toolbar
 * badge, and the page that helps install a missing host.
 */
import '../shared/zod-jitless';
import browser, { type Runtime } from 'webextension-polyfill';
import { CONSENT_PAGE, WELCOME_PAGE } from '../shared/extension-pages';
import { ancestorsFromPortName } from '../shared/frame-ancestry';
import { matchPatternFor } from '../shared/trusted-origins';
import { AnswerMemo } from './answer-memo';
import { CardEventHub } from './card-event-hub';
import { ConsentPrompts, type PromptWindows } from './consent-prompts';
import { ConsentStore, REMEMBERED_KEY, SESSION_KEY } from './consent-store';
import { grantedOrigins, syncContentScripts } from './content-script-registrar';
import { welcomeWhenHostMissing } from './host-missing-page';
import { syncLoopbackDynamicRules } from './loopback-dynamic-rules';
import { NativeHostClient } from './native-host-client';
import { connectNativeHost } from './native-port';
import { servePagePort, type PageServices } from './page-router';
import { welcomeWhenSiteAccessMissing } from './site-access-page';
import { welcomeTabOpener } from './welcome-tab';
import { RecentReads } from './recent-reads';
import { isExtensionPageSender, reportedFrameAncestors, reportedFrameOrigin } from './sender-origin';
import { memoryStorageArea } from './storage-area';
import { ToolbarBadge } from './toolbar-badge';
import { TrustedOriginStore, USER_ORIGINS_KEY } from './trusted-origin-store';
import { createUiRouter } from './ui-router';

const promptWindows: PromptWindows = {
  async open(promptId) {
    const url = browser.runtime.getURL(`${CONSENT_PAGE}?prompt=${encodeURIComponent(promptId)}`);
    // The prompt fits its height to what it shows (extension/ui/consent.ts).
    const created = await browser.windows.create({ url, type: 'popup', width: 520, height: 680, focused: true });
    if (created.id === undefined) throw new Error('the consent window has no id');
    return created.id;
  },
  async close(windowId) {
    await browser.windows.remove(windowId);
  },
  async focus(windowId) {
    await browser.windows.update(windowId, { focused: true });
  },
  onClosed(listener) {
    browser.windows.onRemoved.addListener(listener);
  },
};

const client = new NativeHostClient({ connect: connectNativeHost });
const sessionStorage = (browser.storage as { session?: typeof browser.storage.local }).session ?? memoryStorageArea();
const consentStore = new ConsentStore(browser.storage.local, sessionStorage);
const prompts = new ConsentPrompts(consentStore, promptWindows);
const origins = new TrustedOriginStore(browser.storage.local, browser.storage.managed);
// Read now, off the first request's path: Chromium answers storage.managed only once its policy machinery is up.
origins.prefetch();
const recent = new RecentReads(browser.storage.local);
const events = new CardEventHub(client);
const memo = new AnswerMemo({
  watch: (changed) => events.add(changed),
  isLive: () => client.eventsLive,
});
// A host that exits, restarts or fails may have missed a card change: its answers are not kept.
client.onStateChange(() => {
  memo.forget();
});
const services: PageServices = { host: client, consent: prompts, origins, events, recent, memo };

// One welcome tab for both reasons below: it shows whatever is missing.
const openWelcome = welcomeTabOpener(async () => {
  await browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) });
}, sessionStorage);
client.onStateChange(welcomeWhenHostMissing(openWelcome));
function checkSiteAccess(): void {
  welcomeWhenSiteAccessMissing(browser.permissions, openWelcome).catch((error: unknown) => {
    console.warn('NHI Card Bridge: could not check site access', error instanceof Error ? error.message : error);
  });
}
// Every start of the background (browser start, install, update, worker restart) checks; the
// session flag keeps it to one tab per browser session.
checkSiteAccess();
// The badge keeps the host subscribed while the browser runs: card events, not polling, move it.
new ToolbarBadge(browser.action, client, (key) => browser.i18n.getMessage(key), browser.i18n.getMessage('extensionName')).start((listener) => events.add(listener));

const hasPermission = (origin: string) => browser.permissions.contains({ origins: [matchPatternFor(origin)] });

async function resyncScripts(): Promise<void> {
  const lists = await origins.lists();
  const registrar = { scripting: browser.scripting, permissions: browser.permissions, manifestContentScripts: browser.runtime.getManifest().content_scripts ?? [] };
  const granted = await grantedOrigins(registrar, [...lists.user, ...lists.managed]);
  await syncContentScripts(registrar, granted);
  // Where the page shim answers the NHIICC HTTP ports, the network backstop blocks what escapes it.
  await syncLoopbackDynamicRules(browser.declarativeNetRequest, granted);
}

function resyncSoon(): void {
  resyncScripts().catch((error: unknown) => {
    console.warn('NHI Card Bridge: could not set up the sites added by you or by policy', error instanceof Error ? error.message : error);
  });
}

const uiRouter = createUiRouter({
  extensionVersion: browser.runtime.getManifest().version,
  host: client,
  prompts,
  consentStore,
  origins,
  recent,
  hasPermission,
  resyncScripts,
});

browser.runtime.onConnect.addListener((port) => {
  const claimedAncestors = ancestorsFromPortName(port.name);
  if (claimedAncestors === undefined) {
    port.disconnect();
    return;
  }
  const ancestors = reportedFrameAncestors(port.sender, claimedAncestors);
  servePagePort(port, reportedFrameOrigin(port.sender, browser.runtime.id), services, ancestors);
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (!isExtensionPageSender(sender, browser.runtime.id, browser.runtime.getURL(''))) return undefined;
  return uiRouter(message);
});

browser.runtime.onInstalled.addListener(resyncSoon);
browser.runtime.onStartup.addListener(resyncSoon);
browser.permissions.onAdded.addListener(resyncSoon);
browser.permissions.onRemoved.addListener(resyncSoon);
browser.permissions.onAdded.addListener(checkSiteAccess);
browser.permissions.onRemoved.addListener(checkSiteAccess);
browser.storage.onChanged.addListener((changes, area) => {
  // The stores cache what every request checks; any change to those keys, ours or not, drops the cache.
  if (area === 'managed' || USER_ORIGINS_KEY in changes) origins.invalidate();
  if (REMEMBERED_KEY in changes || SESSION_KEY in changes) consentStore.invalidate();
  if (area === 'managed') resyncSoon();
});
