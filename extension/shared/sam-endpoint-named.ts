/**
 * Where a legacy line sends the card's authentication, when a page names a SAM service other than
 * the NHI's own (`H_SignIPAndPort`). The host connects only to endpoints its administrator allowed
 * (native-host/legacy/sam-service.ts); if one besides the official service is allowed, the consent
 * prompt names it, since the card's id, challenge and answer go there.
 */
import { OFFICIAL_SAM_SERVICE } from '../../native-host/protocol/nhiicc';
import { legacyCommandName } from './card-fields';

/** Enough for any host name and port; a longer value is cut, never shown whole. */
const MAX_SHOWN_LENGTH = 270;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/u;

/**
 * `host:port` as the page named it, for an H_SignIPAndPort line naming anything but the official
 * service; undefined for every other line. Only a line whose IP and PORT decode exactly to the
 * official service counts as official: the host decodes only canonical base64, which decodes to the
 * same text here, so no spelling reads as official here and as another address in the host.
 * A part that does not decode shows as `?` (the host refuses such a line before connecting).
 */
export function nonDefaultSamEndpoint(line: string): string | undefined {
  if (legacyCommandName(line) !== 'H_SignIPAndPort') return undefined;
  const query = line.slice(line.indexOf('?') + 1);
  const host = decodeText(queryValue(query, 'IP'));
  const port = decodeText(queryValue(query, 'PORT'));
  // The host compares host names ignoring case.
  if (host?.toLowerCase() === OFFICIAL_SAM_SERVICE.host && port === String(OFFICIAL_SAM_SERVICE.port)) return undefined;
  return `${host ?? '?'}:${port ?? '?'}`.slice(0, MAX_SHOWN_LENGTH);
}

/** The first value of `key` in an `a=b&c=d` query (the host refuses a key given twice). */
function queryValue(query: string, key: string): string | undefined {
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals !== -1 && pair.slice(0, equals) === key) return pair.slice(equals + 1);
  }
  return undefined;
}

function decodeText(base64: string | undefined): string | undefined {
  if (base64 === undefined) return undefined;
  try {
    const text = atob(base64);
    return PRINTABLE_ASCII.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
