import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REMEMBERED_KEY, SESSION_KEY } from '../../../extension/background/consent-store';
import { MANAGED_KEY, USER_ORIGINS_KEY } from '../../../extension/background/trusted-origin-store';
import { WELCOME_OPENED_KEY } from '../../../extension/background/welcome-tab';
import { countingStorageArea, settle } from './counting-storage-area';

const EXTENSION_ID = 'test-extension-id';
const BASE_URL = `chrome-extension://${EXTENSION_ID}/`;
const SITE = 'https://cloudicweb.nhi.gov.tw';
const CLINIC = 'https://clinic.example.tw';
const CITY = 'https://city.example.gov.tw';

type Listener = (...args: never[]) => unknown;

/** An event the service worker subscribes to; the test fires it. */
function fakeEvent() {
  const listeners: Listener[] = [];
  return { listeners, addListener: (listener: Listener) => listeners.push(listener) };
}

/** The part of `browser` the service worker touches; native messaging is never reached here. */
function fakeBrowser() {
  const local = countingStorageArea([REMEMBERED_KEY, USER_ORIGINS_KEY, 'recentReads'], {
    [REMEMBERED_KEY]: { [SITE]: { allow: true, fields: ['name'], decidedAt: 1 } },
    [USER_ORIGINS_KEY]: [CLINIC],
  });
  // The worker finds no host here, so it may open the welcome tab once and note that in the session.
  const session = countingStorageArea([SESSION_KEY, WELCOME_OPENED_KEY]);
  const managed = countingStorageArea([MANAGED_KEY], { [MANAGED_KEY]: [] });
  const onMessage = fakeEvent();
  const onChanged = fakeEvent();
  const dynamicRules: { condition: { initiatorDomains: string[] } }[] = [];
  const browser = {
    runtime: {
      id: EXTENSION_ID,
      getURL: (path: string) => `${BASE_URL}${path}`,
      getManifest: () => ({ version: '0.0.0-test', content_scripts: [] }),
      connectNative: () => {
        throw new Error('the native host is not part of this test');
      },
      onConnect: fakeEvent(),
      onMessage,
      onInstalled: fakeEvent(),
      onStartup: fakeEvent(),
    },
    windows: { create: () => Promise.reject(new Error('no windows here')), remove: () => Promise.resolve(), onRemoved: fakeEvent() },
    tabs: { create: () => Promise.resolve({}) },
    action: { setBadgeText: () => Promise.resolve(), setBadgeBackgroundColor: () => Promise.resolve(), setTitle: () => Promise.resolve() },
    i18n: { getMessage: (key: string) => key },
    permissions: { contains: () => Promise.resolve(true), getAll: () => Promise.resolve({ origins: ['<all_urls>'] }), onAdded: fakeEvent(), onRemoved: fakeEvent() },
    scripting: {
      getRegisteredContentScripts: () => Promise.resolve([]),
      registerContentScripts: () => Promise.resolve(),
      unregisterContentScripts: () => Promise.resolve(),
    },
    declarativeNetRequest: {
      getDynamicRules: () => Promise.resolve([...dynamicRules]),
      updateDynamicRules: (options: { removeRuleIds: number[]; addRules: { condition: { initiatorDomains: string[] } }[] }) => {
        dynamicRules.splice(0, dynamicRules.length, ...options.addRules);
        return Promise.resolve();
      },
    },
    storage: { local: local.area, session: session.area, managed: managed.area, onChanged },
  };

  /** A request from the options page, answered by the service worker's UI router. */
  const ask = async (method: string): Promise<unknown> => {
    const [listener] = onMessage.listeners;
    if (listener === undefined) throw new Error('the service worker registered no onMessage listener');
    const reply = await (listener as (message: unknown, sender: unknown) => Promise<{ ok: boolean; value?: unknown }>)(
      { channel: 'nhi-card-ui', method, params: {} },
      { id: EXTENSION_ID, url: `${BASE_URL}options.html` },
    );
    if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
    return reply.value;
  };

  /** storage.onChanged as the browser fires it after any context wrote `changes` to `area`. */
  const storageChanged = (changes: Record<string, unknown>, area: string) => {
    const wrapped = Object.fromEntries(Object.entries(changes).map(([key, newValue]) => [key, { newValue }]));
    for (const listener of onChanged.listeners) (listener as (changes: object, area: string) => void)(wrapped, area);
  };

  /** The hosts whose requests to the component's loopback ports the dynamic rules block. */
  const loopbackBlockedHosts = () => dynamicRules.flatMap((rule) => rule.condition.initiatorDomains);

  return { browser, local, session, managed, ask, storageChanged, loopbackBlockedHosts };
}

const current: { browser?: unknown } = {};
vi.mock('webextension-polyfill', () => ({
  get default() {
    return current.browser;
  },
}));

async function startServiceWorker() {
  const fake = fakeBrowser();
  current.browser = fake.browser;
  vi.resetModules();
  await import('../../../extension/background/service-worker');
  return fake;
}

const rememberedOrigins = async (ask: (method: string) => Promise<unknown>) =>
  ((await ask('consentList')) as { decisions: { origin: string }[] }).decisions.map((decision) => decision.origin);

const userOrigins = async (ask: (method: string) => Promise<unknown>) =>
  ((await ask('origins')) as { user: { origin: string }[] }).user.map((entry) => entry.origin);

const managedOrigins = async (ask: (method: string) => Promise<unknown>) =>
  ((await ask('origins')) as { managed: { origin: string }[] }).managed.map((entry) => entry.origin);

describe('the service worker on storage changes', () => {
  let fake: Awaited<ReturnType<typeof startServiceWorker>>;

  beforeEach(async () => {
    fake = await startServiceWorker();
  });

  it('serves consent decisions from memory between changes', async () => {
    for (let i = 0; i < 3; i++) expect(await rememberedOrigins(fake.ask)).toEqual([SITE]);
    expect(fake.local.readsOf(REMEMBERED_KEY)).toBe(1);
  });

  it('takes a revoke written by another context on the next request', async () => {
    expect(await rememberedOrigins(fake.ask)).toEqual([SITE]);
    fake.local.writeFromOutside(REMEMBERED_KEY, {});
    fake.storageChanged({ [REMEMBERED_KEY]: {} }, 'local');
    expect(await rememberedOrigins(fake.ask)).toEqual([]);
  });

  it('drops the consent cache when this session’s grants change', async () => {
    await rememberedOrigins(fake.ask);
    fake.storageChanged({ [SESSION_KEY]: {} }, 'session');
    await rememberedOrigins(fake.ask);
    expect(fake.local.readsOf(REMEMBERED_KEY)).toBe(2);
  });

  it('takes a site the user added in another context on the next request', async () => {
    expect(await userOrigins(fake.ask)).toEqual([CLINIC]);
    fake.local.writeFromOutside(USER_ORIGINS_KEY, [CLINIC, CITY]);
    fake.storageChanged({ [USER_ORIGINS_KEY]: [CLINIC, CITY] }, 'local');
    expect(await userOrigins(fake.ask)).toEqual([CLINIC, CITY]);
  });

  it('takes a changed policy on the next request', async () => {
    expect(await managedOrigins(fake.ask)).toEqual([]);
    fake.managed.writeFromOutside(MANAGED_KEY, [CITY]);
    fake.storageChanged({ [MANAGED_KEY]: [CITY] }, 'managed');
    expect(await managedOrigins(fake.ask)).toEqual([CITY]);
    await settle(); // The policy change also re-registers content scripts; let it finish.
  });

  it("blocks the component's loopback ports for the sites the user and a policy added, as for the built-in sites", async () => {
    fake.managed.writeFromOutside(MANAGED_KEY, [CITY]);
    fake.storageChanged({ [MANAGED_KEY]: [CITY] }, 'managed');
    await managedOrigins(fake.ask);
    await settle();
    expect(fake.loopbackBlockedHosts()).toEqual([new URL(CITY).hostname, new URL(CLINIC).hostname]);
  });

  // The hot path writes recentReads on every read: that must not cost the next read a storage round trip.
  it.each([
    { change: 'a recent read recorded', changes: { recentReads: [] }, area: 'local' },
    { change: 'an unrelated local key', changes: { 'options.theme': 'dark' }, area: 'local' },
  ])('keeps both caches when $change changes', async ({ changes, area }) => {
    await rememberedOrigins(fake.ask);
    await userOrigins(fake.ask);
    fake.storageChanged(changes, area);
    await rememberedOrigins(fake.ask);
    await userOrigins(fake.ask);
    expect({ consent: fake.local.readsOf(REMEMBERED_KEY), origins: fake.local.readsOf(USER_ORIGINS_KEY) }).toEqual({ consent: 1, origins: 1 });
  });
});
