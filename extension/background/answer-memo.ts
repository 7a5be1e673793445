/**
 * The identity answers the background already got for the inserted card, so a page reading it
 * again is answered without a round trip to the host. An answer is kept only if the host was
 * already reporting card events when it was asked (so no removal can have gone unreported), and
 * everything is forgotten on any card or reader event and whenever the host connection changes.
 */

/** What may be remembered: `readCard`'s identity and the legacy `GetBasic` reply. */
export type MemoKey = 'readCard' | 'GetBasic';

/** The host's card and reader events, as the memo needs them. */
export interface CardChangeFeed {
  /** Calls `changed` on every card or reader event; returns the function that stops it. */
  watch(changed: () => void): () => void;
  /** True while every card change the host sees is reported, in order with its answers. */
  isLive(): boolean;
}

export class AnswerMemo {
  readonly #feed: CardChangeFeed;
  readonly #answers = new Map<MemoKey, unknown>();
  /** Bumped by every forget(): an answer asked for before it is not kept. */
  #generation = 0;
  #stopWatching: (() => void) | undefined;

  constructor(feed: CardChangeFeed) {
    this.#feed = feed;
  }

  /**
   * The remembered answer for `key`, or `ask()`'s, which is kept when `keep` accepts it and no
   * card change can have happened unreported since the question was asked.
   */
  async answer<T>(key: MemoKey, ask: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    if (this.#answers.has(key)) return this.#answers.get(key) as T;
    // Watching keeps the host subscribed; the first answers arrive before events are live and are not kept.
    if (this.#stopWatching === undefined) this.#startWatching();
    const generation = this.#generation;
    const liveWhenAsked = this.#feed.isLive();
    const value = await ask();
    if (liveWhenAsked && this.#feed.isLive() && generation === this.#generation && keep(value)) this.#answers.set(key, value);
    return value;
  }

  #startWatching(): void {
    const generation = this.#generation;
    const stop = this.#feed.watch(() => {
      this.forget();
    });
    // Subscribing can fail at once (the host cannot start), which forgets before watch() returns.
    if (generation === this.#generation) this.#stopWatching = stop;
    else stop();
  }

  /** Drops every answer and stops watching until the next question. */
  forget(): void {
    this.#generation += 1;
    this.#answers.clear();
    const stop = this.#stopWatching;
    this.#stopWatching = undefined;
    stop?.();
  }
}
