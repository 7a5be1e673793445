/**
 * Consent decisions per origin. Remembered decisions live in storage.local until revoked in the
 * options page; an "allow" without "remember" lives in storage.session (this browser session
 * only); a "deny" without "remember" is not stored at all.
 */
import * as z from 'zod/mini';
import { CARD_FIELDS, coversFields, type CardField } from '../shared/card-fields';
import type { StorageAreaLike } from './storage-area';

/** The storage.local key of remembered decisions. */
export const REMEMBERED_KEY = 'consent.remembered';
/** The storage.session key of this session's grants. */
export const SESSION_KEY = 'consent.session';

const fieldList = z.array(z.enum(CARD_FIELDS));
const rememberedSchema = z.record(z.string(), z.strictObject({ allow: z.boolean(), fields: fieldList, decidedAt: z.number() }));
const sessionSchema = z.record(z.string(), fieldList);

export interface RememberedDecision {
  readonly origin: string;
  readonly allow: boolean;
  readonly fields: readonly CardField[];
  readonly decidedAt: number;
}

/** An "allow" without "remember": it lasts until the browser closes or the user revokes it. */
export interface SessionGrant {
  readonly origin: string;
  readonly fields: readonly CardField[];
}

export type ConsentVerdict = 'allow' | 'deny' | 'ask';

export class ConsentStore {
  readonly #local: StorageAreaLike;
  readonly #session: StorageAreaLike;
  readonly #now: () => number;
  /** Both records as last read: every card read checks them, so storage is read only after a change. */
  #cachedRemembered: Promise<Remembered> | undefined;
  #cachedSession: Promise<SessionGrants> | undefined;

  constructor(local: StorageAreaLike, session: StorageAreaLike, now: () => number = () => Date.now()) {
    this.#local = local;
    this.#session = session;
    this.#now = now;
  }

  /** Whether `origin` may receive `fields` without asking. */
  async verdict(origin: string, fields: readonly CardField[]): Promise<ConsentVerdict> {
    const remembered = (await this.#remembered())[origin];
    if (remembered !== undefined && !remembered.allow) return 'deny';
    const granted = [...(remembered?.fields ?? []), ...((await this.#sessionGrants())[origin] ?? [])];
    return coversFields(granted, fields) ? 'allow' : 'ask';
  }

  /** Records the user's answer to a prompt for `fields`. */
  async record(origin: string, allow: boolean, fields: readonly CardField[], remember: boolean): Promise<void> {
    if (remember) {
      const all = { ...(await this.#remembered()) };
      const earlier = all[origin];
      const keep = allow && earlier?.allow === true ? earlier.fields : [];
      all[origin] = { allow, fields: allow ? union(keep, fields) : [], decidedAt: this.#now() };
      await this.#local.set({ [REMEMBERED_KEY]: all });
      this.invalidate();
      return;
    }
    if (!allow) return;
    const grants = { ...(await this.#sessionGrants()) };
    grants[origin] = union(grants[origin] ?? [], fields);
    await this.#session.set({ [SESSION_KEY]: grants });
    this.invalidate();
  }

  /** Remembered decisions, newest first, for the options page. */
  async list(): Promise<RememberedDecision[]> {
    const all = await this.#remembered();
    return Object.entries(all)
      .map(([origin, decision]) => ({ origin, ...decision }))
      .sort((a, b) => b.decidedAt - a.decidedAt);
  }

  /** This browser session's grants, by origin, for the options page and the popup. */
  async listSession(): Promise<SessionGrant[]> {
    const grants = await this.#sessionGrants();
    return Object.entries(grants)
      .filter(([, fields]) => fields.length > 0)
      .map(([origin, fields]) => ({ origin, fields }))
      .sort((a, b) => a.origin.localeCompare(b.origin));
  }

  /** Forgets every decision about `origin`, remembered or for this session. */
  async revoke(origin: string): Promise<void> {
    const all = await this.#remembered();
    const grants = await this.#sessionGrants();
    await this.#local.set({ [REMEMBERED_KEY]: without(all, origin) });
    await this.#session.set({ [SESSION_KEY]: without(grants, origin) });
    this.invalidate();
  }

  /** Forgets the cached decisions; call on every storage change to either key (storage.onChanged). */
  invalidate(): void {
    this.#cachedRemembered = undefined;
    this.#cachedSession = undefined;
  }

  /** Read-only: callers that change it copy it first. */
  #remembered(): Promise<Readonly<Remembered>> {
    this.#cachedRemembered ??= cached(async () => {
      const stored = await this.#local.get(REMEMBERED_KEY);
      const parsed = rememberedSchema.safeParse(stored[REMEMBERED_KEY] ?? {});
      return parsed.success ? parsed.data : {}; // Corrupt data means "ask again", never "allow".
    }, (failed) => {
      if (this.#cachedRemembered === failed) this.#cachedRemembered = undefined;
    });
    return this.#cachedRemembered;
  }

  #sessionGrants(): Promise<Readonly<SessionGrants>> {
    this.#cachedSession ??= cached(async () => {
      const stored = await this.#session.get(SESSION_KEY);
      const parsed = sessionSchema.safeParse(stored[SESSION_KEY] ?? {});
      return parsed.success ? parsed.data : {};
    }, (failed) => {
      if (this.#cachedSession === failed) this.#cachedSession = undefined;
    });
    return this.#cachedSession;
  }
}

type Remembered = z.infer<typeof rememberedSchema>;
type SessionGrants = z.infer<typeof sessionSchema>;

/** Starts `load`; a failed load calls `onFailure` with its promise so it is not kept as the cache. */
function cached<T>(load: () => Promise<T>, onFailure: (failed: Promise<T>) => void): Promise<T> {
  const loading = load();
  loading.catch(() => {
    onFailure(loading);
  });
  return loading;
}

function union(a: readonly CardField[], b: readonly CardField[]): CardField[] {
  return CARD_FIELDS.filter((field) => a.includes(field) || b.includes(field));
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}
