/**
 * The check both replica back ends make on what a legacy page posts after H_Sign: the GetBasic
 * CSV names a registered card, the random is fresh, and the signature is the SAM service's for
 * that card and that random.
 */
import { z } from 'zod';
import { accountForCard, type SiteAccount } from './site-accounts';
import type { SiteRecords } from './site-records';

/** Checks a SAM signature (the SAM simulator's verifySignature in tests). */
export type SignatureVerifier = (input: { readonly cardId: string; readonly random: string; readonly signature: string }) => boolean;

/** What the page posts: the replies of GetBasic, GetVersion, GetRandom and H_Sign, prefixes removed. */
export const cardProofSchema = z.object({
  basic: z.string().max(200),
  version: z.string().regex(/^\d{4}$/),
  random: z.string().regex(/^\d{16}$/),
  sign: z.string().max(512),
});
export type CardProof = z.infer<typeof cardProofSchema>;

export type ProofVerdict = { readonly ok: true; readonly account: SiteAccount; readonly name: string } | { readonly ok: false; readonly status: number; readonly reason: string };

/** Parses and checks a proof; the reason of a refusal never contains card data. */
export function checkCardProof(proof: CardProof, verify: SignatureVerifier, records: SiteRecords): ProofVerdict {
  const fields = proof.basic.split(',');
  if (fields.length !== 6) return { ok: false, status: 400, reason: 'malformed basic data' };
  const [cardNumber = '', idNumber = '', name = ''] = fields;
  const account = accountForCard(cardNumber, idNumber);
  if (account === undefined) return { ok: false, status: 404, reason: 'card not registered' };
  const random = proof.version + proof.random;
  if (!verify({ cardId: account.cardId, random, signature: proof.sign })) return { ok: false, status: 403, reason: 'signature invalid' };
  if (!records.useRandom(random)) return { ok: false, status: 409, reason: 'random replayed' };
  return { ok: true, account, name };
}
