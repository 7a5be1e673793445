/**
 * Asks the user before an origin first receives card data: opens the consent page in a popup
 * window naming the site and the fields, and waits. Requests from the same origin, from any tab,
 * wait on the open prompt instead of opening another; a closed window or no answer in time counts
 * as deny. After a deny the origin is refused at once, with no window, for a few minutes, so a
 * page looping on reads cannot bury the user in prompts. A request that sends the card's
 * authentication to a SAM service other than the NHI's own is always asked, naming that service,
 * and its allowance covers that one request.
 */
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';
import { CARD_FIELDS, coversFields, type CardField } from '../shared/card-fields';
import type { ConsentStore } from './consent-store';

/** How long a prompt stays open before it counts as denied. */
export const CONSENT_TIMEOUT_MS = 120_000;
/** How long an origin is refused without a prompt after a deny, a closed prompt or no answer. */
export const DENIAL_QUIET_MS = 5 * 60_000;

/** Opening and closing prompt windows (browser.windows in the extension, a fake in tests). */
export interface PromptWindows {
  /** Opens the consent page for `promptId`; resolves with the window id. */
  open(promptId: string): Promise<number>;
  close(windowId: number): Promise<void>;
  /** Brings a prompt window to the front. */
  focus(windowId: number): Promise<void>;
  onClosed(listener: (windowId: number) => void): void;
}

export interface PromptDetails {
  readonly origin: string;
  readonly fields: readonly CardField[];
  /** `host:port` of a SAM service other than the NHI's own that the card's authentication goes to. */
  readonly samEndpoint?: string;
}

interface OpenPrompt extends PromptDetails {
  readonly id: string;
  readonly settled: Promise<boolean>;
  readonly settle: (allowed: boolean) => void;
  windowId: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function denied(origin: string): NhiCardError {
  return new NhiCardError(ExtensionErrorCode.ConsentDenied, `the user did not allow ${origin} to read the card`);
}

function deniedRecently(origin: string): NhiCardError {
  const minutes = Math.ceil(DENIAL_QUIET_MS / 60_000);
  return new NhiCardError(
    ExtensionErrorCode.ConsentDenied,
    `the user declined ${origin} moments ago; it is not asked again for ${minutes} minutes`,
  );
}

/** An origin refused without a prompt until `until` (epoch milliseconds). */
export interface RecentDenial {
  readonly origin: string;
  readonly until: number;
}

export class ConsentPrompts {
  readonly #store: ConsentStore;
  readonly #windows: PromptWindows;
  readonly #timeoutMs: number;
  readonly #newId: () => string;
  readonly #byId = new Map<string, OpenPrompt>();
  readonly #byOrigin = new Map<string, OpenPrompt>();
  readonly #quietMs: number;
  readonly #now: () => number;
  /** Origins refused without a prompt, until when; memory only, like the session it protects. */
  readonly #deniedUntil = new Map<string, number>();

  constructor(store: ConsentStore, windows: PromptWindows, options: { timeoutMs?: number; quietMs?: number; now?: () => number; newId?: () => string } = {}) {
    this.#store = store;
    this.#windows = windows;
    this.#timeoutMs = options.timeoutMs ?? CONSENT_TIMEOUT_MS;
    this.#quietMs = options.quietMs ?? DENIAL_QUIET_MS;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    windows.onClosed((windowId) => {
      for (const prompt of this.#byId.values()) if (prompt.windowId === windowId) this.#finish(prompt, false);
    });
  }

  /**
   * Resolves when `origin` may receive `fields`; rejects with CONSENT_DENIED otherwise. With
   * `samEndpoint` (a non-default SAM service the request names), no earlier allowance covers it:
   * the prompt names the service and its allow is for this request only.
   */
  async require(origin: string, fields: readonly CardField[], samEndpoint?: string): Promise<void> {
    if (fields.length === 0) return;
    for (;;) {
      const verdict = await this.#store.verdict(origin, fields);
      if (verdict === 'allow' && samEndpoint === undefined) return;
      if (verdict === 'deny') throw denied(origin);
      const open = this.#byOrigin.get(origin);
      if (open === undefined) {
        if (this.#isQuiet(origin)) throw deniedRecently(origin);
        if (await this.#ask({ origin, fields, ...(samEndpoint === undefined ? {} : { samEndpoint }) })) return;
        throw denied(origin);
      }
      const allowed = await open.settled;
      // A denial answers everyone who waited for it; an allowance may not cover these fields.
      if (!allowed && coversFields(open.fields, fields)) throw denied(origin);
    }
  }

  /** True when `origin` may currently receive some card field without asking (remembered or this session). */
  async hasAllowance(origin: string): Promise<boolean> {
    for (const field of CARD_FIELDS) if ((await this.#store.verdict(origin, [field])) === 'allow') return true;
    return false;
  }

  /** What the consent page shows for a prompt, or undefined for an unknown or finished one. */
  details(promptId: string): PromptDetails | undefined {
    const prompt = this.#byId.get(promptId);
    if (prompt === undefined) return undefined;
    return { origin: prompt.origin, fields: prompt.fields, ...(prompt.samEndpoint === undefined ? {} : { samEndpoint: prompt.samEndpoint }) };
  }

  /** Origins refused without a prompt after a recent deny, for the options page and popup. */
  recentDenials(): RecentDenial[] {
    const now = this.#now();
    const list: RecentDenial[] = [];
    for (const [origin, until] of this.#deniedUntil) {
      if (until > now) list.push({ origin, until });
      else this.#deniedUntil.delete(origin);
    }
    return list;
  }

  /** Lets `origin` be asked again at once (the user changed their mind in the extension's UI). */
  forgetDenial(origin: string): void {
    this.#deniedUntil.delete(origin);
  }

  /** The user's answer from the consent page. */
  async answer(promptId: string, allow: boolean, remember: boolean): Promise<void> {
    const prompt = this.#byId.get(promptId);
    if (prompt === undefined) return;
    // An allow naming another SAM service is for that one request: nothing stored would cover it.
    if (prompt.samEndpoint === undefined || !allow) await this.#store.record(prompt.origin, allow, prompt.fields, remember);
    this.#finish(prompt, allow);
  }

  async #ask(details: PromptDetails): Promise<boolean> {
    let settle: (allowed: boolean) => void = () => undefined;
    const settled = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const prompt: OpenPrompt = { ...details, id: this.#newId(), fields: [...details.fields], settled, settle, windowId: undefined, timer: undefined };
    this.#byId.set(prompt.id, prompt);
    this.#byOrigin.set(details.origin, prompt);
    prompt.timer = setTimeout(() => {
      this.#finish(prompt, false);
    }, this.#timeoutMs);
    try {
      const windowId = await this.#windows.open(prompt.id);
      if (this.#byId.has(prompt.id)) prompt.windowId = windowId;
      else await this.#windows.close(windowId).catch(() => undefined);
    } catch {
      this.#finish(prompt, false); // No window, no consent.
    }
    return settled;
  }

  #isQuiet(origin: string): boolean {
    const until = this.#deniedUntil.get(origin);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#deniedUntil.delete(origin);
    return false;
  }

  #finish(prompt: OpenPrompt, allowed: boolean): void {
    if (!this.#byId.delete(prompt.id)) return;
    if (allowed) this.#deniedUntil.delete(prompt.origin);
    else this.#deniedUntil.set(prompt.origin, this.#now() + this.#quietMs);
    if (this.#byOrigin.get(prompt.origin) === prompt) this.#byOrigin.delete(prompt.origin);
    if (prompt.timer !== undefined) clearTimeout(prompt.timer);
    if (prompt.windowId !== undefined) this.#windows.close(prompt.windowId).catch(() => undefined);
    // Another site's prompt opened meanwhile lost the focus to this one, and Allow arms only in a
    // focused window: hand the focus back, or it waits behind the page until someone clicks it.
    const waiting = [...this.#byId.values()].find((other) => other.windowId !== undefined);
    if (waiting?.windowId !== undefined) this.#windows.focus(waiting.windowId).catch(() => undefined);
    prompt.settle(allowed);
  }
}
