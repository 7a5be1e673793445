/**
 * What the replica back ends did, for tests to check through the test-only endpoint: the mails
 * "sent" and the logins granted. Holds synthetic addresses only.
 */

export interface SentMail {
  readonly to: string;
  readonly kind: 'password-reset';
  readonly at: number;
}

export interface GrantedLogin {
  readonly site: 'ecpa';
  readonly idNumber: string;
  readonly at: number;
}

/** The records, as the test-only endpoint returns them. */
export interface SiteRecordsSnapshot {
  readonly mails: readonly SentMail[];
  readonly logins: readonly GrantedLogin[];
  /** Requests a back end refused, with the reason it gave (no card data). */
  readonly refusals: readonly { readonly route: string; readonly reason: string }[];
}

export class SiteRecords {
  readonly #mails: SentMail[] = [];
  readonly #logins: GrantedLogin[] = [];
  readonly #refusals: { route: string; reason: string }[] = [];
  /** version + random values already used, so a signature cannot be replayed. */
  readonly #usedRandoms = new Set<string>();

  sendMail(mail: SentMail): void {
    this.#mails.push(mail);
  }

  grantLogin(login: GrantedLogin): void {
    this.#logins.push(login);
  }

  refuse(route: string, reason: string): void {
    this.#refusals.push({ route, reason });
  }

  /** Marks a random as used; false when it was used before (a replay). */
  useRandom(random: string): boolean {
    if (this.#usedRandoms.has(random)) return false;
    this.#usedRandoms.add(random);
    return true;
  }

  snapshot(): SiteRecordsSnapshot {
    return { mails: [...this.#mails], logins: [...this.#logins], refusals: [...this.#refusals] };
  }

  reset(): void {
    this.#mails.length = 0;
    this.#logins.length = 0;
    this.#refusals.length = 0;
    this.#usedRandoms.clear();
  }
}
