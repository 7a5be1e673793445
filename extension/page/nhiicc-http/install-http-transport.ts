/**
 * Installs the in-page answer to the 2024 page library's HTTP transport: XMLHttpRequest, fetch
 * and the status images, all served by one responder over the extension link.
 */
import { createHttpApiResponder, type HttpApiLink } from './http-api-responder';
import { installFetchShim, type FetchScope } from './fetch-shim';
import { installImageShim, type ImageScope } from './image-shim';
import { installXhrShim, type XhrScope } from './xhr-shim';

/** Installs the three shims on `scope` (the page window); they share one responder. */
export function installHttpTransport(scope: XhrScope & FetchScope & ImageScope, link: HttpApiLink): void {
  const responder = createHttpApiResponder(link, { parse: JSON.parse, stringify: JSON.stringify });
  installXhrShim(scope, responder);
  installFetchShim(scope, responder);
  installImageShim(scope, responder);
}
