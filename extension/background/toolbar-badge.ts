/**
 * The toolbar badge: host unreachable / no reader / no card / card ready, at a glance. It follows
 * the host's own card and reader events (one `readers` request per event, never a timer), and the
 * connection's state; while it is shown the host is kept subscribed, so the badge is never stale.
 */
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { asNhiCardError } from '../../native-host/protocol/nhi-card-error';
import type { CardHostEvent, HostState } from './native-host-client';

export type BadgeState = 'unknown' | 'host-unreachable' | 'no-reader' | 'no-card' | 'card-ready';

/** How each state looks: short text, its colour, and the tooltip's _locales key. */
export const BADGE_LOOKS: Readonly<Record<BadgeState, { readonly text: string; readonly color: string; readonly titleKey: string | undefined }>> = {
  unknown: { text: '', color: '#5f6368', titleKey: undefined },
  'host-unreachable': { text: '!', color: '#c62828', titleKey: 'badgeHostUnreachable' },
  'no-reader': { text: '✕', color: '#b26a00', titleKey: 'badgeNoReader' },
  'no-card': { text: '–', color: '#5f6368', titleKey: 'badgeNoCard' },
  'card-ready': { text: '✓', color: '#1a7f37', titleKey: 'badgeCardReady' },
};

/** What the host said about its readers: the list, or the error code of the `readers` request. */
export type ReadersAnswer = { readonly readers: readonly { readonly cardPresent: boolean }[] } | { readonly errorCode: string };

/** The badge state for a connection state and, once connected, the host's answer about readers. */
export function badgeStateOf(host: HostState, answer?: ReadersAnswer): BadgeState {
  if (host.kind === 'failed') return 'host-unreachable';
  if (host.kind !== 'ready' || answer === undefined) return 'unknown';
  if ('errorCode' in answer) return answer.errorCode === ErrorCode.NoReader || answer.errorCode === ErrorCode.PcscUnavailable ? 'no-reader' : 'unknown';
  if (answer.readers.length === 0) return 'no-reader';
  return answer.readers.some((reader) => reader.cardPresent) ? 'card-ready' : 'no-card';
}

/** The toolbar button, as browser.action offers it (a fake in tests). */
export interface BadgeAction {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

/** The part of the native host client the badge follows. */
export interface BadgeHost {
  readonly state: HostState;
  onStateChange(listener: (state: HostState) => void): void;
  onEvent(listener: (event: CardHostEvent) => void): void;
  request(command: 'readers', args: Record<string, never>): Promise<{ readers: { cardPresent: boolean }[] }>;
}

/** Keeps the toolbar badge in step with the host; `watch` keeps the host subscribed to card events. */
export class ToolbarBadge {
  readonly #action: BadgeAction;
  readonly #host: BadgeHost;
  readonly #message: (key: string) => string;
  readonly #defaultTitle: string;
  /** Only the newest `readers` answer is shown: an older one may predate the last event. */
  #asked = 0;
  #shown: BadgeState | undefined;

  constructor(action: BadgeAction, host: BadgeHost, message: (key: string) => string, defaultTitle: string) {
    this.#action = action;
    this.#host = host;
    this.#message = message;
    this.#defaultTitle = defaultTitle;
  }

  /** Starts following the host; `subscribe` keeps it reporting card events (returns the stop function). */
  start(subscribe: (listener: () => void) => () => void): void {
    this.#host.onStateChange((state) => {
      if (state.kind === 'ready') this.#refresh();
      // While (re)starting, the last known state stays: a blank flash says nothing.
      else if (state.kind !== 'starting') this.#show(badgeStateOf(state));
    });
    this.#host.onEvent(() => {
      this.#refresh();
    });
    subscribe(() => undefined);
    if (this.#host.state.kind === 'ready') this.#refresh();
  }

  /** The state the badge shows now (for diagnostics and tests). */
  get shown(): BadgeState | undefined {
    return this.#shown;
  }

  #refresh(): void {
    const asked = ++this.#asked;
    this.#host.request('readers', {}).then(
      (result) => {
        if (asked === this.#asked) this.#show(badgeStateOf(this.#host.state, result));
      },
      (error: unknown) => {
        if (asked === this.#asked) this.#show(badgeStateOf(this.#host.state, { errorCode: asNhiCardError(error).code }));
      },
    );
  }

  #show(state: BadgeState): void {
    if (state === this.#shown) return;
    this.#shown = state;
    const look = BADGE_LOOKS[state];
    const title = look.titleKey === undefined ? this.#defaultTitle : this.#message(look.titleKey);
    // A badge that cannot be drawn (the window is closing) is not worth an error.
    Promise.all([this.#action.setBadgeText({ text: look.text }), this.#action.setBadgeBackgroundColor({ color: look.color }), this.#action.setTitle({ title })]).catch(
      () => undefined,
    );
  }
}
