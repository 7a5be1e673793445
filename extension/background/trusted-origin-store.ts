/**
 * The trusted origins beyond the built-in list: those the user added in the options page
 * (storage.local) and those an administrator set by policy (storage.managed, read-only here).
 * Chromium holds storage.managed for ~1.6 s after the browser starts (until its policy machinery
 * is ready), so a request is judged without it unless only a policy could make its origin trusted.
 */
import * as z from 'zod/mini';
import { BUILT_IN_ORIGIN_SET, canonicalOrigin, isTrustedOrigin, MAX_EXTRA_ORIGINS, type TrustedOriginLists } from '../shared/trusted-origins';
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError } from '../../native-host/protocol/nhi-card-error';
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
  /** Each list as last read; every request checks them, so storage is read only after a change. */
  #cachedUser: Promise<string[]> | undefined;
  #cachedManaged: Promise<string[]> | undefined;

  constructor(local: StorageAreaLike, managed: ManagedAreaLike) {
    this.#local = local;
    this.#managed = managed;
  }

  /** Starts reading both lists now, in the background, so later requests find them read. */
  prefetch(): void {
    this.#userList().catch(() => undefined); // A failed read is not kept; the next request retries it.
    void this.#managedList();
  }

  /** The user and policy lists, canonical. */
  async lists(): Promise<TrustedOriginLists> {
    const [user, managed] = await Promise.all([this.#userList(), this.#managedList()]);
    return { user, managed };
  }

  /**
   * Whether a frame origin the browser reported is trusted. A built-in origin is judged without
   * storage, a user-added one with storage.local only; only an origin no other list holds waits
   * for the policy list.
   */
  async isTrusted(reportedOrigin: string): Promise<boolean> {
    if (BUILT_IN_ORIGIN_SET.has(reportedOrigin)) return true;
    const user = await this.#userList();
    if (isTrustedOrigin(reportedOrigin, { user, managed: [] })) return true;
    return isTrustedOrigin(reportedOrigin, { user, managed: await this.#managedList() });
  }

  /** Forgets the cached lists; call on every storage change to either list (storage.onChanged). */
  invalidate(): void {
    this.#cachedUser = undefined;
    this.#cachedManaged = undefined;
  }

  /** Adds an origin the user typed; returns its canonical form or throws INVALID_REQUEST. */
  async addUser(input: string): Promise<string> {
    const origin = canonicalOrigin(input);
    if (origin === undefined) throw new NhiCardError(ErrorCode.InvalidRequest, 'enter a bare HTTPS origin such as https://example.gov.tw');
    if (BUILT_IN_ORIGIN_SET.has(origin)) return origin;
    const user = await this.#user();
    if (!user.includes(origin)) {
      if (user.length >= MAX_EXTRA_ORIGINS) throw new NhiCardError(ErrorCode.InvalidRequest, `at most ${MAX_EXTRA_ORIGINS} sites can be added`);
      await this.#local.set({ [USER_ORIGINS_KEY]: [...user, origin] });
      this.#cachedUser = undefined;
    }
    return origin;
  }

  async removeUser(origin: string): Promise<void> {
    const user = await this.#user();
    await this.#local.set({ [USER_ORIGINS_KEY]: user.filter((entry) => entry !== origin) });
    this.#cachedUser = undefined;
  }

  async #user(): Promise<string[]> {
    return canonicalList((await this.#local.get(USER_ORIGINS_KEY))[USER_ORIGINS_KEY]);
  }

  /** The user list, read once until invalidated; a failed read is not kept. */
  #userList(): Promise<string[]> {
    if (this.#cachedUser !== undefined) return this.#cachedUser;
    const loading = this.#user();
    this.#cachedUser = loading;
    loading.catch(() => {
      if (this.#cachedUser === loading) this.#cachedUser = undefined;
    });
    return loading;
  }

  /** The policy list, read once until invalidated; never rejects. */
  #managedList(): Promise<string[]> {
    this.#cachedManaged ??= this.#readManaged();
    return this.#cachedManaged;
  }

  async #readManaged(): Promise<string[]> {
    try {
      return canonicalList((await this.#managed.get(MANAGED_KEY))[MANAGED_KEY]);
    } catch {
      return []; // No policy configured.
    }
  }
}
