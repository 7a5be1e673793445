import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsentStore } from '../../../extension/background/consent-store';
import { ConsentPrompts, type PromptWindows } from '../../../extension/background/consent-prompts';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import { READ_CARD_FIELDS, type CardField } from '../../../extension/shared/card-fields';

const SITE = 'https://cloudicweb.nhi.gov.tw';
const OTHER_SITE = 'https://ecpa.dgpa.gov.tw';
const BASIC: CardField[] = ['cardNumber', 'idNumber', 'name', 'birthDate', 'sex', 'cardStatus'];

describe('the consent store', () => {
  it('asks until the user decides', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    expect(await store.verdict(SITE, READ_CARD_FIELDS)).toBe('ask');
  });

  it('remembers an allowance for exactly the fields allowed', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    await store.record(SITE, true, READ_CARD_FIELDS, true);
    expect(await store.verdict(SITE, READ_CARD_FIELDS)).toBe('allow');
    expect(await store.verdict(SITE, ['name'])).toBe('allow');
    expect(await store.verdict(SITE, BASIC)).toBe('ask'); // cardStatus was never allowed.
    expect(await store.verdict('https://ecpa.dgpa.gov.tw', ['name'])).toBe('ask');
  });

  it('keeps an allowance without "remember" for this browser session only', async () => {
    const local = memoryStorageArea();
    await new ConsentStore(local, memoryStorageArea()).record(SITE, true, READ_CARD_FIELDS, false);
    expect(await new ConsentStore(local, memoryStorageArea()).verdict(SITE, READ_CARD_FIELDS)).toBe('ask');
  });

  it('remembers a denial, and forgets a denial that was not to be remembered', async () => {
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
    await store.record(SITE, false, READ_CARD_FIELDS, false);
    expect(await store.verdict(SITE, READ_CARD_FIELDS)).toBe('ask');
    await store.record(SITE, false, READ_CARD_FIELDS, true);
    expect(await store.verdict(SITE, ['sex'])).toBe('deny');
  });

  it('lists and revokes remembered decisions', async () => {
    let now = 1000;
    const store = new ConsentStore(memoryStorageArea(), memoryStorageArea(), () => now);
    await store.record(SITE, true, ['name'], true);
    now = 2000;
    await store.record('https://ecpa.dgpa.gov.tw', false, ['name'], true);
    expect((await store.list()).map((decision) => [decision.origin, decision.allow])).toEqual([
      ['https://ecpa.dgpa.gov.tw', false],
      [SITE, true],
    ]);
    await store.revoke(SITE);
    expect(await store.verdict(SITE, ['name'])).toBe('ask');
    expect(await store.list()).toHaveLength(1);
  });

  it('treats corrupt stored data as "ask", never as "allow"', async () => {
    const local = memoryStorageArea();
    await local.set({ 'consent.remembered': { [SITE]: { allow: 'yes', fields: ['everything'] } } });
    expect(await new ConsentStore(local, memoryStorageArea()).verdict(SITE, ['name'])).toBe('ask');
  });
});

/** Prompt windows the test answers by hand. */
function fakeWindows() {
  const opened: string[] = [];
  const closed: number[] = [];
  const focused: number[] = [];
  let onClosed: (windowId: number) => void = () => undefined;
  const windows: PromptWindows = {
    open: (promptId) => {
      opened.push(promptId);
      return Promise.resolve(100 + opened.length);
    },
    close: (windowId) => {
      closed.push(windowId);
      return Promise.resolve();
    },
    focus: (windowId) => {
      focused.push(windowId);
      return Promise.resolve();
    },
    onClosed: (listener) => {
      onClosed = listener;
    },
  };
  return { windows, opened, closed, focused, userClosesWindow: (windowId: number) => { onClosed(windowId); } };
}

function prompts(options: { timeoutMs?: number; quietMs?: number; now?: () => number } = {}) {
  const store = new ConsentStore(memoryStorageArea(), memoryStorageArea());
  const fake = fakeWindows();
  let counter = 0;
  const consent = new ConsentPrompts(store, fake.windows, { ...options, newId: () => `prompt-${++counter}` });
  return { store, consent, ...fake };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('consent prompts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens one prompt naming the site and fields, and resolves on allow', async () => {
    const { consent, opened, closed } = prompts();
    const decision = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    expect(opened).toEqual(['prompt-1']);
    expect(consent.details('prompt-1')).toEqual({ origin: SITE, fields: READ_CARD_FIELDS });
    await consent.answer('prompt-1', true, false);
    await expect(decision).resolves.toBeUndefined();
    expect(closed).toEqual([101]);
    expect(consent.details('prompt-1')).toBeUndefined();
  });

  it("hands the focus to another site's open prompt when one closes, since Allow arms only in a focused window", async () => {
    const { consent, opened, focused } = prompts();
    const first = consent.require(SITE, READ_CARD_FIELDS);
    const second = consent.require(OTHER_SITE, READ_CARD_FIELDS);
    await flush();
    expect(opened).toEqual(['prompt-1', 'prompt-2']);
    await consent.answer('prompt-2', true, false);
    await expect(second).resolves.toBeUndefined();
    expect(focused).toEqual([101]);
    await consent.answer('prompt-1', true, false);
    await expect(first).resolves.toBeUndefined();
    expect(focused).toEqual([101]);
  });

  it('rejects with CONSENT_DENIED on deny', async () => {
    const { consent } = prompts();
    const decision = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    await consent.answer('prompt-1', false, false);
    await expect(decision).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
  });

  it('counts a closed prompt window as deny', async () => {
    const { consent, userClosesWindow } = prompts();
    const decision = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    userClosesWindow(101);
    await expect(decision).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
  });

  it('counts no answer in time as deny', async () => {
    vi.useFakeTimers();
    const { consent } = prompts({ timeoutMs: 60_000 });
    const decision = consent.require(SITE, READ_CARD_FIELDS);
    const outcome = expect(decision).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
    await vi.advanceTimersByTimeAsync(60_000);
    await outcome;
  });

  it('lets requests from one site wait on one prompt', async () => {
    const { consent, opened } = prompts();
    const first = consent.require(SITE, READ_CARD_FIELDS);
    const second = consent.require(SITE, ['name']);
    await flush();
    expect(opened).toHaveLength(1);
    await consent.answer('prompt-1', true, false);
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
  });

  it.each([
    ['a deny', (f: ReturnType<typeof prompts>) => f.consent.answer('prompt-1', false, false)],
    ['a closed window', (f: ReturnType<typeof prompts>) => {
      f.userClosesWindow(101);
      return Promise.resolve();
    }],
  ])('after %s, a page looping on reads gets CONSENT_DENIED at once, from any tab, with no new window', async (_what, refuse) => {
    const fixture = prompts();
    const first = fixture.consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    await refuse(fixture);
    await expect(first).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
    const loop = Array.from({ length: 50 }, () => fixture.consent.require(SITE, READ_CARD_FIELDS).catch((error: unknown) => error));
    for (const outcome of await Promise.all(loop)) expect(outcome).toMatchObject({ code: 'CONSENT_DENIED' });
    expect(fixture.opened).toEqual(['prompt-1']);
    expect(fixture.consent.recentDenials()).toEqual([{ origin: SITE, until: expect.any(Number) as unknown }]);
  });

  it('asks again once the quiet time is over, or at once when the denial is forgotten; other sites are asked meanwhile', async () => {
    let now = 1_000_000;
    const { consent, opened } = prompts({ quietMs: 60_000, now: () => now });
    const first = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    await consent.answer('prompt-1', false, false);
    await first.catch(() => undefined);

    await expect(consent.require(SITE, READ_CARD_FIELDS)).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
    void consent.require(OTHER_SITE, READ_CARD_FIELDS).catch(() => undefined);
    await flush();
    expect(opened).toEqual(['prompt-1', 'prompt-2']);

    now += 60_001;
    const later = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    expect(opened).toEqual(['prompt-1', 'prompt-2', 'prompt-3']);
    await consent.answer('prompt-3', false, false);
    await later.catch(() => undefined);

    consent.forgetDenial(SITE);
    void consent.require(SITE, READ_CARD_FIELDS).catch(() => undefined);
    await flush();
    expect(opened).toHaveLength(4);
  });

  it('lets an allowance made in the options page through during the quiet time', async () => {
    const { consent, store } = prompts();
    const first = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    await consent.answer('prompt-1', false, false);
    await first.catch(() => undefined);
    await store.record(SITE, true, READ_CARD_FIELDS, true);
    await expect(consent.require(SITE, READ_CARD_FIELDS)).resolves.toBeUndefined();
  });

  it('asks before the card authenticates to a SAM service other than the NHI’s, naming it, even with a remembered allowance, and for that request only', async () => {
    const { store, consent, opened } = prompts();
    const fields: CardField[] = ['cardAuthentication'];
    await store.record(SITE, true, fields, true);
    await consent.require(SITE, fields);
    expect(opened).toEqual([]);

    const first = consent.require(SITE, fields, '127.0.0.1:8443');
    await flush();
    expect(opened).toEqual(['prompt-1']);
    expect(consent.details('prompt-1')).toEqual({ origin: SITE, fields, samEndpoint: '127.0.0.1:8443' });
    await consent.answer('prompt-1', true, true);
    await expect(first).resolves.toBeUndefined();

    // Not remembered, whatever the answer said: the next such request is asked again.
    const second = consent.require(SITE, fields, '127.0.0.1:8443');
    await flush();
    expect(opened).toEqual(['prompt-1', 'prompt-2']);
    await consent.answer('prompt-2', false, false);
    await expect(second).rejects.toMatchObject({ code: 'CONSENT_DENIED' });
    // The remembered allowance for the official service is untouched.
    await expect(consent.require(SITE, fields)).resolves.toBeUndefined();
  });

  it('does not ask again after a remembered allowance, and does not ask for harmless requests', async () => {
    const { consent, opened } = prompts();
    const first = consent.require(SITE, READ_CARD_FIELDS);
    await flush();
    await consent.answer('prompt-1', true, true);
    await first;
    await consent.require(SITE, READ_CARD_FIELDS);
    await consent.require(SITE, []);
    expect(opened).toHaveLength(1);
  });
});
