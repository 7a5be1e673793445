/**
 * Installs the in-page answer to the 2024 page library's HTTP transport: XMLHttpRequest, fetch
 * and the status images, all served by one responder that asks the background.
 */
import { createHttpApiResponder, type HttpApiAsk } from './http-api-responder';
import { installFetchShim, type FetchScope } from './fetch-shim';
import { installImageShim, type ImageScope } from './image-shim';
import { installXhrShim, type XhrScope } from './xhr-shim';

/** Installs the three shims on `scope` (the page window); they share one responder. */
export function installHttpTransport(scope: XhrScope & FetchScope & ImageScope, ask: HttpApiAsk): void {
  const responder = createHttpApiResponder(ask);
  installXhrShim(scope, responder);
  installFetchShim(scope, responder);
  installImageShim(scope, responder);
}
