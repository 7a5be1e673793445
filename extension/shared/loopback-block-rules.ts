/**
 * The network backstop for the NHIICC HTTP ports: declarativeNetRequest rules that block every
 * request from our trusted origins to localhost / 127.0.0.1 / [::1] ports 59001 and 59002, so
 * nothing reaches the loopback interface (and no Local Network Access prompt can follow) even if a
 * request escapes the page shim (an `<img>` in the HTML, a beacon, a worker). Other sites'
 * requests are left alone. For the built-in origins the build writes them as a static ruleset;
 * for origins added by the user or by policy the background keeps them as a dynamic rule
 * (extension/background/loopback-dynamic-rules.ts).
 */

/** Where the ruleset file sits in the built extension. */
export const LOOPBACK_RULESET_PATH = 'rules/nhiicc-loopback.json';
export const LOOPBACK_RULESET_ID = 'nhiicc-loopback';

/** The one rule shape we write (a subset of declarativeNetRequest.Rule). */
export interface BlockRule {
  readonly id: number;
  readonly priority: number;
  readonly action: { readonly type: 'block' };
  readonly condition: {
    readonly regexFilter: string;
    readonly isUrlFilterCaseSensitive: boolean;
    readonly initiatorDomains: readonly string[];
  };
}

/**
 * Any scheme (http, https, ws, wss) to a loopback name on 59001 or 59002. Without `resourceTypes`
 * a rule covers every request type except top-level navigation, which no page library makes.
 */
export const LOOPBACK_COMPONENT_URL_REGEX = '^[a-z]+://(localhost|127\\.0\\.0\\.1|\\[::1\\]):5900[12]/';

/**
 * The block rule for `origins` (canonical https origins). `initiatorDomains` names hosts, so it
 * also covers the same host over plain HTTP and its subdomains: a wider net for a block-only rule.
 */
export function loopbackBlockRules(origins: readonly string[]): BlockRule[] {
  const hosts = [...new Set(origins.map((origin) => new URL(origin).hostname))].sort();
  if (hosts.length === 0) return [];
  return [
    {
      id: 1,
      priority: 1,
      action: { type: 'block' },
      condition: { regexFilter: LOOPBACK_COMPONENT_URL_REGEX, isUrlFilterCaseSensitive: false, initiatorDomains: hosts },
    },
  ];
}
