/**
 * Runs tasks one at a time in submission order. Card access goes through one queue so two
 * requests' APDUs never interleave on the card.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its outcome. A failed task does not block the next. */
  run<T>(task: () => Promise<T>): Promise<T> {
    // `tail` never rejects (see below), so every task starts after the previous one settled.
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
