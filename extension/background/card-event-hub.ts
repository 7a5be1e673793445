/**
 * Fans the host's card and reader events out to every subscribed frame. The host is kept
 * subscribed exactly while at least one frame listens.
 */
import type { CardEvent } from '../shared/page-methods';
import type { CardHostEvent } from './native-host-client';

export interface EventSource {
  onEvent(listener: (event: CardHostEvent) => void): void;
  setWantsEvents(wanted: boolean): void;
}

export class CardEventHub {
  readonly #source: EventSource;
  readonly #subscribers = new Set<(event: CardEvent) => void>();

  constructor(source: EventSource) {
    this.#source = source;
    source.onEvent((hostEvent) => {
      const event: CardEvent = { type: hostEvent.event, reader: hostEvent.reader };
      for (const subscriber of [...this.#subscribers]) {
        try {
          subscriber(event);
        } catch {
          this.#subscribers.delete(subscriber); // A closed port; its disconnect cleans up too.
        }
      }
    });
  }

  /** Adds a subscriber; returns the function that removes it. */
  add(subscriber: (event: CardEvent) => void): () => void {
    this.#subscribers.add(subscriber);
    this.#source.setWantsEvents(true);
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.#source.setWantsEvents(false);
    };
  }
}
