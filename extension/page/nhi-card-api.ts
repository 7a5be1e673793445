/**
 * `window.nhiCard`: the modern page API. Promises that reject with an Error carrying a stable
 * `code`, and card/reader events through addEventListener or on(). docs/page-api.md documents it.
 */
import { CARD_EVENT_TYPES, type CardEventType } from '../shared/page-method-names';
import type { CardEvent, PageIdentity, PageStatus } from '../shared/page-methods';
import type { PageBridge } from './page-bridge';
import { bareObject } from './page-natives';
import * as natives from './page-natives';

/** Bumped when the page API changes incompatibly. */
export const PAGE_API_VERSION = 1;

export interface CardEventDetail {
  readonly reader: string;
}

function isCardEventType(type: string): type is CardEventType {
  return (CARD_EVENT_TYPES as readonly string[]).includes(type);
}

/** The object installed as `window.nhiCard`. */
export class NhiCardApi extends EventTarget {
  readonly #bridge: PageBridge;
  #subscription: Promise<void> | undefined;

  constructor(bridge: PageBridge) {
    super();
    this.#bridge = bridge;
    bridge.onEvent((event: CardEvent) => {
      // Native copies, so a replaced EventTarget.prototype.dispatchEvent does not see every event first.
      natives.dispatchEvent(this, new natives.NativeCustomEvent<CardEventDetail>(event.type, bareObject({ detail: { reader: event.reader } })));
    });
  }

  /** The API version this object implements. */
  get version(): number {
    return PAGE_API_VERSION;
  }

  /** Reads the card holder identity; the user is asked first. */
  readCard(): Promise<PageIdentity> {
    return this.#bridge.call('readCard', {});
  }

  /** Host, readers and whether a card is present; reveals no card data. */
  status(): Promise<PageStatus> {
    return this.#bridge.call('status', {});
  }

  /** Listens for a card or reader event; returns a function that stops listening. */
  on(type: CardEventType, callback: (detail: CardEventDetail) => void): () => void {
    const listener = (event: Event) => {
      callback((event as CustomEvent<CardEventDetail>).detail);
    };
    this.addEventListener(type, listener);
    return () => {
      this.removeEventListener(type, listener);
    };
  }

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    super.addEventListener(type, listener, options);
    if (listener !== null && isCardEventType(type)) this.#subscribe();
  }

  /** Events flow only once someone listens; a failed subscription is retried by the next listener. */
  #subscribe(): void {
    if (this.#subscription !== undefined) return;
    this.#subscription = natives.promiseThen(
      this.#bridge.call('subscribe', {}),
      () => undefined,
      () => {
        this.#subscription = undefined;
      },
    );
  }
}
