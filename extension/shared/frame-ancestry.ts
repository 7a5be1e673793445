/**
 * How a content script tells the background which pages its frame sits inside: the ancestors'
 * origins, nearest first, travel in the name of the runtime port it opens (the one thing the
 * browser delivers with the connection, before any message). The content script reads them in its
 * isolated world, where page scripts cannot change what the browser answers.
 */
import { PAGE_PORT_NAME } from '../content/background-link';

/** Frames nest deeper than this only in contrived pages; more is refused as unknown. */
export const MAX_ANCESTORS = 16;
const MAX_ORIGIN_LENGTH = 300;
const SEPARATOR = '\n';

/** The port name carrying `ancestors` (null: the content script could not tell). */
export function pagePortName(ancestors: readonly string[] | null): string {
  return `${PAGE_PORT_NAME}${SEPARATOR}${JSON.stringify(ancestors)}`;
}

/**
 * The ancestors a page port's name carries: a list, null when the content script could not tell
 * (or sent something malformed), undefined when the name is not a page port's at all.
 */
export function ancestorsFromPortName(name: string): string[] | null | undefined {
  if (name === PAGE_PORT_NAME) return null;
  if (!name.startsWith(PAGE_PORT_NAME + SEPARATOR)) return undefined;
  let claimed: unknown;
  try {
    claimed = JSON.parse(name.slice(PAGE_PORT_NAME.length + SEPARATOR.length));
  } catch {
    return null;
  }
  if (!Array.isArray(claimed) || claimed.length > MAX_ANCESTORS) return null;
  const origins: string[] = [];
  for (const origin of claimed) {
    if (typeof origin !== 'string' || origin.length > MAX_ORIGIN_LENGTH) return null;
    origins.push(origin);
  }
  return origins;
}
