/**
 * Which WebSocket URLs belong to the official NHIICC component. Only these are answered by the
 * extension; every other URL keeps the browser's own WebSocket.
 */

/** Hosts the official page library connects to; iccert.nhi.gov.tw resolves to 127.0.0.1. */
const LEGACY_HOSTS: ReadonlySet<string> = new Set(['iccert.nhi.gov.tw', 'localhost', '127.0.0.1']);
/** 7777 everywhere; 7776 in old Safari samples. */
const LEGACY_PORTS: ReadonlySet<string> = new Set(['7777', '7776']);

/**
 * The normalized URL when `input` addresses the NHIICC component, else undefined. Resolves the
 * input the way the WebSocket constructor does (relative to `base`, https -> wss), so a page cannot
 * reach the shim through a spelling the real constructor would treat differently.
 */
export function legacyNhiiccUrl(input: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:') url = new URL(`wss:${url.href.slice('https:'.length)}`);
  if (url.protocol !== 'wss:' || url.username !== '' || url.password !== '' || url.hash !== '') return undefined;
  if (!LEGACY_HOSTS.has(url.hostname) || !LEGACY_PORTS.has(url.port)) return undefined;
  return url.href;
}
