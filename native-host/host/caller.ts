/**
 * Who started us: browsers start a native messaging host with the caller's identity in argv.
 * - Chromium (Chrome, Edge, Brave, ...): `chrome-extension://<id>/`, on Windows followed by
 *   `--parent-window=<handle>`.
 * - Firefox: `<path of the host manifest> <extension id>`.
 * The identity is only as trustworthy as the browser that wrote it; it keeps other extensions
 * (which the host manifest already excludes) from reusing a manually registered host.
 */
import { CHROMIUM_EXTENSION_IDS, GECKO_EXTENSION_IDS } from '../protocol/extension-ids';

/** The environment variable that adds extension IDs to the allowlist (comma-separated), for dev builds. */
export const ALLOWED_EXTENSIONS_ENV = 'NHI_CARD_ALLOWED_EXTENSIONS';

/** The extensions the host serves when nothing is added through ALLOWED_EXTENSIONS_ENV: ours, dev and store builds. */
export const DEFAULT_ALLOWED_CALLERS: readonly string[] = [...CHROMIUM_EXTENSION_IDS, ...GECKO_EXTENSION_IDS];

const chromiumOrigin = /^chrome-extension:\/\/([a-p]{32})\/$/;
/** Gecko IDs are either `{uuid}` or email-like `name@domain`. */
const geckoId = /^(?:\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[A-Za-z0-9._+-]*@[A-Za-z0-9._-]+)$/;

/**
 * The caller's extension ID when `args` (argv after the script) is how a browser starts a native
 * host, otherwise null (the CLI was started by a person).
 */
export function callerFromArgv(args: readonly string[]): string | null {
  const [first, second] = args;
  if (first === undefined) return null;
  const chromium = chromiumOrigin.exec(first);
  if (chromium?.[1] !== undefined) return chromium[1];
  if (second !== undefined && first.toLowerCase().endsWith('.json') && geckoId.test(second)) return second;
  return null;
}

/** The allowlist: our extension IDs plus any listed in ALLOWED_EXTENSIONS_ENV. */
export function allowedCallers(env: Readonly<Record<string, string | undefined>>): string[] {
  const extra = (env[ALLOWED_EXTENSIONS_ENV] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  return [...new Set([...DEFAULT_ALLOWED_CALLERS, ...extra])];
}

/** True when `callerId` is on the allowlist; an unknown caller (null) never is. */
export function isAllowedCaller(callerId: string | null, allowed: readonly string[]): boolean {
  return callerId !== null && allowed.includes(callerId);
}
