/**
 * The loopback backstop for origins added by the user or by policy. The built-in origins' block
 * rule is static (the build writes it); added origins change while the browser runs, so their rule
 * is a dynamic one, rewritten whenever the content scripts for those origins are, so that the
 * sites our page shim answers are the sites whose stray requests to ports 59001/59002 are blocked.
 */
import { loopbackBlockRules, type BlockRule } from '../shared/loopback-block-rules';

/** A block rule as the browser's API takes it (its lists are mutable there). */
export type DynamicBlockRule = Omit<BlockRule, 'condition'> & { readonly condition: Omit<BlockRule['condition'], 'initiatorDomains'> & { initiatorDomains: string[] } };

/** The part of browser.declarativeNetRequest this needs (a fake in tests). */
export interface DynamicRulesApi {
  getDynamicRules(): Promise<readonly { readonly id: number }[]>;
  updateDynamicRules(options: { removeRuleIds: number[]; addRules: DynamicBlockRule[] }): Promise<void>;
}

/** Makes the dynamic rules exactly the block rule for `origins` (none for an empty list); the extension has no other dynamic rules. */
export async function syncLoopbackDynamicRules(api: DynamicRulesApi, origins: readonly string[]): Promise<void> {
  const existing = await api.getDynamicRules();
  // One call removes and adds atomically, so no request slips through between the two.
  const addRules = loopbackBlockRules(origins).map((rule) => ({ ...rule, condition: { ...rule.condition, initiatorDomains: [...rule.condition.initiatorDomains] } }));
  await api.updateDynamicRules({ removeRuleIds: existing.map((rule) => rule.id), addRules });
}
