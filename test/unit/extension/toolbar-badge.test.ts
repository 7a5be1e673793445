import { describe, expect, it } from 'vitest';
import type { CardHostEvent, HostState } from '../../../extension/background/native-host-client';
import { BADGE_LOOKS, badgeStateOf, ToolbarBadge, type BadgeAction, type BadgeHost, type ReadersAnswer } from '../../../extension/background/toolbar-badge';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';

const READY: HostState = { kind: 'ready', hello: { host: 'nhi-card 0.1.0', protocol: 1 } };
const FAILED: HostState = { kind: 'failed', error: { code: 'HOST_NOT_FOUND', message: 'not installed' } };

describe('badgeStateOf', () => {
  it.each<{ what: string; host: HostState; answer?: ReadersAnswer; state: string }>([
    { what: 'host not started yet', host: { kind: 'idle' }, state: 'unknown' },
    { what: 'host not installed', host: FAILED, state: 'host-unreachable' },
    { what: 'host failed even with an old answer', host: FAILED, answer: { readers: [{ cardPresent: true }] }, state: 'host-unreachable' },
    { what: 'no reader listed', host: READY, answer: { readers: [] }, state: 'no-reader' },
    { what: 'NO_READER from the host', host: READY, answer: { errorCode: 'NO_READER' }, state: 'no-reader' },
    { what: 'pcscd not running', host: READY, answer: { errorCode: 'PCSC_UNAVAILABLE' }, state: 'no-reader' },
    { what: 'a reader, no card', host: READY, answer: { readers: [{ cardPresent: false }] }, state: 'no-card' },
    { what: 'a card in the second reader', host: READY, answer: { readers: [{ cardPresent: false }, { cardPresent: true }] }, state: 'card-ready' },
  ])('$what -> $state', ({ host, answer, state }) => {
    expect(badgeStateOf(host, answer)).toBe(state);
  });
});

/** A host whose state, events and `readers` answers the test drives; the badge's calls recorded. */
function fakes() {
  let state: HostState = { kind: 'idle' };
  const stateListeners: ((state: HostState) => void)[] = [];
  const eventListeners: ((event: CardHostEvent) => void)[] = [];
  const answers: { resolve: (value: { readers: { cardPresent: boolean }[] }) => void; reject: (error: unknown) => void }[] = [];
  let subscribed = 0;
  const host: BadgeHost = {
    get state() {
      return state;
    },
    onStateChange: (listener) => stateListeners.push(listener),
    onEvent: (listener) => eventListeners.push(listener),
    request: () => new Promise((resolve, reject) => answers.push({ resolve, reject })),
  };
  const drawn: { text: string; color: string; title: string }[] = [];
  const current = { text: '', color: '', title: '' };
  const action: BadgeAction = {
    setBadgeText: ({ text }) => {
      current.text = text;
      return Promise.resolve();
    },
    setBadgeBackgroundColor: ({ color }) => {
      current.color = color;
      return Promise.resolve();
    },
    setTitle: ({ title }) => {
      current.title = title;
      drawn.push({ ...current });
      return Promise.resolve();
    },
  };
  const badge = new ToolbarBadge(action, host, (key) => `msg:${key}`, 'NHI Card Bridge');
  badge.start(() => {
    subscribed += 1;
    return () => undefined;
  });
  return {
    badge,
    drawn,
    answers,
    subscribed: () => subscribed,
    setState: (next: HostState) => {
      state = next;
      for (const listener of stateListeners) listener(next);
    },
    event: (event: CardHostEvent['event']) => {
      for (const listener of eventListeners) listener({ event, reader: 'Virtual PCD 00 00' });
    },
  };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('ToolbarBadge', () => {
  it('keeps the host subscribed to card events from the start', () => {
    expect(fakes().subscribed()).toBe(1);
  });

  it('shows the host as unreachable when it cannot start, with the tooltip in words', () => {
    const { drawn, setState, badge } = fakes();
    setState(FAILED);
    expect(badge.shown).toBe('host-unreachable');
    expect(drawn.at(-1)).toEqual({ text: BADGE_LOOKS['host-unreachable'].text, color: BADGE_LOOKS['host-unreachable'].color, title: 'msg:badgeHostUnreachable' });
  });

  it('asks for the readers once when the host is ready, and once per card event', async () => {
    const { answers, setState, event, badge } = fakes();
    setState(READY);
    expect(answers).toHaveLength(1);
    answers[0]?.resolve({ readers: [{ cardPresent: false }] });
    await settled();
    expect(badge.shown).toBe('no-card');

    event('card-inserted');
    expect(answers).toHaveLength(2);
    answers[1]?.resolve({ readers: [{ cardPresent: true }] });
    await settled();
    expect(badge.shown).toBe('card-ready');

    event('reader-removed');
    answers[2]?.reject(new NhiCardError('NO_READER', 'no reader'));
    await settled();
    expect(badge.shown).toBe('no-reader');
  });

  it('shows only the newest answer when events overlap', async () => {
    const { answers, setState, event, badge } = fakes();
    setState(READY);
    event('card-removed');
    answers[1]?.resolve({ readers: [{ cardPresent: false }] });
    answers[0]?.resolve({ readers: [{ cardPresent: true }] }); // Asked before the removal.
    await settled();
    expect(badge.shown).toBe('no-card');
  });

  it('keeps the last state while the host restarts, and clears when it has stopped', async () => {
    const { answers, setState, badge } = fakes();
    setState(READY);
    answers[0]?.resolve({ readers: [{ cardPresent: true }] });
    await settled();
    setState({ kind: 'starting' });
    expect(badge.shown).toBe('card-ready');
    setState({ kind: 'idle' });
    expect(badge.shown).toBe('unknown');
  });

  it('draws nothing again when the state has not changed', async () => {
    const { answers, setState, event, drawn } = fakes();
    setState(READY);
    answers[0]?.resolve({ readers: [{ cardPresent: false }] });
    await settled();
    const draws = drawn.length;
    event('reader-added');
    answers[1]?.resolve({ readers: [{ cardPresent: false }, { cardPresent: false }] });
    await settled();
    expect(drawn).toHaveLength(draws);
  });
});
