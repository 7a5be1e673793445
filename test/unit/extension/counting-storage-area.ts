import type { StorageAreaLike } from '../../../extension/background/storage-area';

/**
 * A strict storage area in memory for the stores' cache tests: it knows only the keys a test
 * declares (any other key rejects and is noted in `unexpected`), counts every read per key, can
 * fail the next read, and can hold writes until the test releases them.
 */
export function countingStorageArea(keys: readonly string[], initial: Record<string, unknown> = {}) {
  const items = new Map<string, unknown>(Object.entries(initial));
  const reads: string[] = [];
  const unexpected: string[] = [];
  let failNextRead: Error | undefined;
  let heldWrites: (() => void)[] | undefined;

  const refuse = (key: string) => {
    unexpected.push(key);
    return Promise.reject(new Error(`unexpected storage key "${key}"`));
  };

  const area: StorageAreaLike = {
    get: (key) => {
      if (!keys.includes(key)) return refuse(key);
      reads.push(key);
      if (failNextRead !== undefined) {
        const error = failNextRead;
        failNextRead = undefined;
        return Promise.reject(error);
      }
      return Promise.resolve(items.has(key) ? { [key]: structuredClone(items.get(key)) } : {});
    },
    set: (values) => {
      const unknownKey = Object.keys(values).find((key) => !keys.includes(key));
      if (unknownKey !== undefined) return refuse(unknownKey);
      const write = () => {
        for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
      };
      if (heldWrites === undefined) {
        write();
        return Promise.resolve();
      }
      const held = heldWrites;
      return new Promise<void>((resolve) => {
        held.push(() => {
          write();
          resolve();
        });
      });
    },
  };

  return {
    area,
    unexpected,
    /** How many times `key` was read from storage. */
    readsOf: (key: string) => reads.filter((read) => read === key).length,
    /** The stored value, as another extension context would see it. */
    stored: (key: string): unknown => structuredClone(items.get(key)),
    /** Writes as another extension context would (the options page, another window): the store is not told. */
    writeFromOutside: (key: string, value: unknown) => {
      items.set(key, structuredClone(value));
    },
    failNextRead: (error: Error) => {
      failNextRead = error;
    },
    /** Later writes wait until `releaseWrites()`; returns how many are waiting at release. */
    holdWrites: () => {
      heldWrites = [];
    },
    releaseWrites: () => {
      const held = heldWrites ?? [];
      heldWrites = undefined;
      for (const release of held) release();
      return held.length;
    },
  };
}

/** Lets every pending promise callback and I/O callback run (no clock involved). */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
