/**
 * The trusted origins beyond the built-in list: those the user added in the options page
 * (storage.local) and those an administrator set by policy (storage.managed, read-only here).
 */
import * as z from 'zod/mini';
import { BUILT_IN_ORIGIN_SET, canonicalOrigin, MAX_EXTRA_ORIGINS, type TrustedOriginLists } from '../shared/trusted-origins';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { ExtensionError } from '../shared/extension-error';
import type { StorageAreaLike } from './storage-area';

/** The storage.local key of the user's list. */
export const USER_ORIGINS_KEY = 'trustedOrigins.user';
/** The policy key; extension/public/managed-schema.json describes it. */
export const MANAGED_KEY = 'trustedOrigins';

const originList = z.array(z.string()).check(z.maxLength(MAX_EXTRA_ORIGINS));

/** storage.managed: read-only, and in Firefox it throws when no policy exists. */
export interface ManagedAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
}

/** The canonical origins in a stored list; entries that are not bare HTTPS origins are dropped. */
function canonicalList(value: unknown): string[] {
  const parsed = originList.safeParse(value ?? []);
  if (!parsed.success) return [];
  const result: string[] = [];
  for (const entry of parsed.data) {
    const origin = canonicalOrigin(entry);
    if (origin !== undefined && !result.includes(origin)) result.push(origin);
  }
  return result;
}

export class TrustedOriginStore {
  readonly #local: StorageAreaLike;
  readonly #managed: ManagedAreaLike;
  /** The lists as last read; every request checks them, so storage is read only after a change. */
  #cached: Promise<TrustedOriginLists> | undefined;

  constructor(local: StorageAreaLike, managed: ManagedAreaLike) {
    this.#local = local;
    this.#managed = managed;
  }

  /** The user and policy lists, canonical. */
  lists(): Promise<TrustedOriginLists> {
    if (this.#cached !== undefined) return this.#cached;
    const loading = (async () => ({ user: await this.#user(), managed: await this.#managedList() }))();
    this.#cached = loading;
    loading.catch(() => {
      if (this.#cached === loading) this.#cached = undefined;
    });
    return loading;
  }

  /** Forgets the cached lists; call on every storage change to either list (storage.onChanged). */
  invalidate(): void {
    this.#cached = undefined;
  }

  /** Adds an origin the user typed; returns its canonical form or throws INVALID_REQUEST. */
  async addUser(input: string): Promise<string> {
    const origin = canonicalOrigin(input);
    if (origin === undefined) throw new ExtensionError(ErrorCode.InvalidRequest, 'enter a bare HTTPS origin such as https://example.gov.tw');
    if (BUILT_IN_ORIGIN_SET.has(origin)) return origin;
    const user = await this.#user();
    if (!user.includes(origin)) {
      if (user.length >= MAX_EXTRA_ORIGINS) throw new ExtensionError(ErrorCode.InvalidRequest, `at most ${MAX_EXTRA_ORIGINS} sites can be added`);
      await this.#local.set({ [USER_ORIGINS_KEY]: [...user, origin] });
      this.invalidate();
    }
    return origin;
  }

  async removeUser(origin: string): Promise<void> {
    const user = await this.#user();
    await this.#local.set({ [USER_ORIGINS_KEY]: user.filter((entry) => entry !== origin) });
    this.invalidate();
  }

  async #user(): Promise<string[]> {
    return canonicalList((await this.#local.get(USER_ORIGINS_KEY))[USER_ORIGINS_KEY]);
  }

  async #managedList(): Promise<string[]> {
    try {
      return canonicalList((await this.#managed.get(MANAGED_KEY))[MANAGED_KEY]);
    } catch {
      return []; // No policy configured.
    }
  }
}
