import { describe, expect, it } from 'vitest';
import { syncLoopbackDynamicRules, type DynamicBlockRule, type DynamicRulesApi } from '../../../extension/background/loopback-dynamic-rules';
import { LOOPBACK_COMPONENT_URL_REGEX } from '../../../extension/shared/loopback-block-rules';

/** declarativeNetRequest's dynamic rules, kept in memory; strict about ids as the browser is. */
function fakeDynamicRules(): DynamicRulesApi & { rules: DynamicBlockRule[]; updates: number } {
  const fake = {
    rules: [] as DynamicBlockRule[],
    updates: 0,
    getDynamicRules: () => Promise.resolve([...fake.rules]),
    updateDynamicRules: (options: { removeRuleIds: number[]; addRules: DynamicBlockRule[] }) => {
      fake.updates += 1;
      const kept = fake.rules.filter((rule) => !options.removeRuleIds.includes(rule.id));
      for (const rule of options.addRules) {
        if (kept.some((other) => other.id === rule.id)) return Promise.reject(new Error(`rule id ${String(rule.id)} is taken`));
      }
      fake.rules = [...kept, ...options.addRules];
      return Promise.resolve();
    },
  };
  return fake;
}

const hostsBlocked = (rules: readonly DynamicBlockRule[]) => rules.flatMap((rule) => rule.condition.initiatorDomains);

describe('the dynamic loopback rule for added sites', () => {
  it('blocks the component ports for the sites added by the user or by policy', async () => {
    const api = fakeDynamicRules();

    await syncLoopbackDynamicRules(api, ['https://clinic.example.tw', 'https://city.example.gov.tw:8443']);

    expect(api.rules).toHaveLength(1);
    expect(api.rules[0]).toMatchObject({ action: { type: 'block' }, condition: { regexFilter: LOOPBACK_COMPONENT_URL_REGEX } });
    expect(hostsBlocked(api.rules)).toEqual(['city.example.gov.tw', 'clinic.example.tw']);
  });

  it('follows the list in one update as sites come and go, and keeps no rule when none is left', async () => {
    const api = fakeDynamicRules();
    await syncLoopbackDynamicRules(api, ['https://clinic.example.tw']);

    await syncLoopbackDynamicRules(api, ['https://city.example.gov.tw']);
    expect(hostsBlocked(api.rules)).toEqual(['city.example.gov.tw']);

    await syncLoopbackDynamicRules(api, []);
    expect(api.rules).toEqual([]);
    expect(api.updates).toBe(3);
  });
});
