/**
 * The host names the replica sites answer for. The trusted ones are on the extension's built-in
 * allowlist, so the browser must reach them under exactly these names (see test/e2e/harness.ts).
 */

/** NHI card online services (健保卡網路服務註冊): the "forgot registration password" flow. */
export const NHI_HOST = 'cloudicweb.nhi.gov.tw';
/** The civil-service personnel portal (人事服務網 eCPA): login with password + card. */
export const ECPA_HOST = 'ecpa.dgpa.gov.tw';
/** Another trusted origin, used for the page written against `window.nhiCard`. */
export const MODERN_HOST = 'myhealthbank.nhi.gov.tw';
/** An untrusted site that tries to read the card anyway. */
export const EVIL_HOST = 'evil.example.com';
/** An untrusted site whose page a trusted page embeds, and which spoofs our channel from that frame. */
export const SPOOFER_HOST = 'spoofer.example.test';
/** Where the official component's WebSocket server lives; public DNS points it at 127.0.0.1. */
export const LEGACY_COMPONENT_HOST = 'iccert.nhi.gov.tw';

/** Every name the site's certificate covers and the browsers map to the site. */
export const SITE_HOSTS: readonly string[] = [NHI_HOST, ECPA_HOST, MODERN_HOST, EVIL_HOST, SPOOFER_HOST];
