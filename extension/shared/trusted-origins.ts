/**
 * The built-in allowlist of government origins that may use the NHI card, and the one rule that
 * decides whether an origin is trusted. Origins are compared exactly (scheme, host and port), never
 * by prefix or suffix: the official component's prefix matching is one of the holes we close.
 * docs/trusted-origins.md says why each entry is here.
 */

/** A service's name as people know it, in each UI language. */
export interface ServiceName {
  readonly zhTW: string;
  readonly en: string;
}

export interface BuiltInOrigin {
  readonly origin: string;
  /** Why the origin is trusted: the service that reads the card there. */
  readonly reason: string;
  /** The service's name, shown above the exact origin in the consent prompt. */
  readonly name: ServiceName;
}

export const BUILT_IN_ORIGINS: readonly BuiltInOrigin[] = [
  {
    origin: 'https://cloudicweb.nhi.gov.tw',
    reason: 'NHI online-services registration (健保卡網路服務註冊) and the official component test pages',
    name: { zhTW: '健保卡網路服務註冊', en: 'NHI online-services registration' },
  },
  {
    origin: 'https://eservice.nhi.gov.tw',
    reason: 'NHI personal online services (個人健保資料網路服務)',
    name: { zhTW: '個人健保資料網路服務', en: 'NHI personal online services' },
  },
  { origin: 'https://myhealthbank.nhi.gov.tw', reason: 'My Health Bank (健康存摺)', name: { zhTW: '健康存摺', en: 'My Health Bank' } },
  {
    origin: 'https://efile.tax.nat.gov.tw',
    reason: 'Individual income tax e-filing (綜合所得稅電子結算申報)',
    name: { zhTW: '綜合所得稅電子結算申報', en: 'Individual income tax e-filing' },
  },
  {
    origin: 'https://ecpa.dgpa.gov.tw',
    reason: 'Civil-service personnel portal (人事服務網 eCPA)',
    name: { zhTW: '人事服務網 eCPA', en: 'Civil-service personnel portal (eCPA)' },
  },
];

/** The name of the service at a built-in origin; undefined for user- or policy-added origins. */
export function serviceNameOf(origin: string): ServiceName | undefined {
  return BUILT_IN_ORIGINS.find((entry) => entry.origin === origin)?.name;
}

/** Upper bound on user- or policy-added origins, so a bad policy cannot grow storage without bound. */
export const MAX_EXTRA_ORIGINS = 100;

/**
 * The canonical form of an origin string, or undefined when it is not an acceptable trusted origin:
 * HTTPS only, no userinfo, path, query or fragment, no opaque origin. The default port is dropped
 * (`https://a.gov.tw:443` -> `https://a.gov.tw`) and hosts are lower-cased and punycoded by URL.
 */
export function canonicalOrigin(value: string): string | undefined {
  if (value.length === 0 || value.length > 2048 || value !== value.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  if (url.hostname === '' || url.hostname.endsWith('.')) return undefined;
  // Only a bare origin (an optional trailing slash aside) is accepted, so "https://a.gov.tw/x" is
  // not silently widened to the whole site.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  if (value.endsWith('?') || value.endsWith('#')) return undefined;
  return url.origin;
}

/** The match pattern that covers exactly one origin (all paths), for manifests and permissions. */
export function matchPatternFor(origin: string): string {
  return `${origin}/*`;
}

/** The built-in origins in canonical form. */
export const BUILT_IN_ORIGIN_SET: ReadonlySet<string> = new Set(BUILT_IN_ORIGINS.map((entry) => entry.origin));

/** The three sources of trust, each already canonical. */
export interface TrustedOriginLists {
  readonly user: readonly string[];
  readonly managed: readonly string[];
}

/**
 * True when the origin the browser reports for a frame is trusted. The value must already be a
 * serialized origin (`https://host[:port]`); anything else, including "null", is refused.
 */
export function isTrustedOrigin(reportedOrigin: string, lists: TrustedOriginLists): boolean {
  const origin = canonicalOrigin(reportedOrigin);
  // A reported origin must already be canonical: a browser never reports "https://A.gov.tw:443".
  if (origin === undefined || origin !== reportedOrigin) return false;
  return BUILT_IN_ORIGIN_SET.has(origin) || lists.user.includes(origin) || lists.managed.includes(origin);
}
