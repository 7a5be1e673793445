/**
 * What the replica sites' back ends know about their users: synthetic accounts tied to the
 * fixture card holders (test/fixtures/profiles). No real person's data.
 */
import { fixtureProfile, type FixtureProfileName } from '../fixtures/profiles';

/** One registered user of the NHI online services and eCPA. */
export interface SiteAccount {
  readonly profile: FixtureProfileName;
  readonly cardNumber: string;
  readonly idNumber: string;
  /** The 12-character card id the NHI back end holds for the card (what signatures bind). */
  readonly cardId: string;
  /** Where the password-reset mail goes. */
  readonly email: string;
  /** The 健保卡網路服務註冊 password; eCPA checks it through EnCrypt. */
  readonly registrationPassword: string;
}

function account(profile: FixtureProfileName, email: string, registrationPassword: string): SiteAccount {
  const card = fixtureProfile(profile);
  return { profile, cardNumber: card.cardNumber, idNumber: card.idNumber, cardId: card.cardId, email, registrationPassword };
}

/** The accounts every replica back end starts with. */
export const SITE_ACCOUNTS: readonly SiteAccount[] = [
  account('demo', 'xiaoming.chen@example.com', 'Demo2468'),
  account('eten-name', 'lin.test@example.com', 'Lin13579'),
];

/** The account for a card, matched on card number and ID number together. */
export function accountForCard(cardNumber: string, idNumber: string): SiteAccount | undefined {
  return SITE_ACCOUNTS.find((entry) => entry.cardNumber === cardNumber && entry.idNumber === idNumber);
}

/** An address the way the NHI page shows it: first two letters of the local part, then stars. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  return `${local.slice(0, 2)}${'*'.repeat(Math.max(3, local.length - 2))}${email.slice(at)}`;
}
