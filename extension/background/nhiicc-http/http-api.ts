/**
 * Answers one request of the 2024 page library's HTTP API, which the page world forwards by name
 * (extension/page/nhiicc-http/): a call becomes the legacy line the WebSocket shim would send, its
 * reply the JSON text the library reads; a status image becomes the bitmap it reads its JSON from.
 * Card data is parsed here, never in the page's world.
 */
import { NO_NHI_CARD_CODE } from '../../../native-host/protocol/nhiicc';
import type { HttpApiName, StatusImage } from '../../shared/nhiicc-http-names';
import { answerFor, legacyLineFor, RESULT_BAD_REQUEST, RESULT_OK } from './http-api-answers';
import { asciiJson, bitmapDataUrl, statusBitmap } from './status-bitmap';

/** What answering needs from the page router: the legacy path (consent included) and card presence. */
export interface HttpApiServices {
  /** The reply to one legacy line, as the WebSocket shim gets it (failures as numeric codes). */
  legacyReply(line: string): Promise<string>;
  /** Whether a card is in a reader; no card data, no consent. */
  cardPresent(): Promise<boolean>;
}

function isStatusImage(name: HttpApiName): name is StatusImage {
  return name.endsWith('.bmp');
}

/**
 * The card status JSON's `result`: ready, or no card. Never 7002 (no reader): before consent the
 * router withholds the reader list, so an empty list proves nothing.
 */
async function cardStatusResult(services: HttpApiServices): Promise<string> {
  return (await services.cardPresent()) ? RESULT_OK : String(NO_NHI_CARD_CODE);
}

/** The answer's text: JSON for a call, a `data:image/bmp` URL for a status image. */
export async function httpApiAnswer(name: HttpApiName, body: string, services: HttpApiServices): Promise<string> {
  if (isStatusImage(name)) {
    const result = name === 'GetStatus.bmp' ? RESULT_OK : await cardStatusResult(services);
    return bitmapDataUrl(statusBitmap(asciiJson(JSON.stringify({ result }))));
  }
  const line = legacyLineFor(name, body);
  return JSON.stringify(line === undefined ? { result: RESULT_BAD_REQUEST } : answerFor(name, await services.legacyReply(line)));
}
