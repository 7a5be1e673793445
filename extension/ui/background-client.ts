/** Typed calls from extension pages to the background, over the UI protocol map. */
import browser from 'webextension-polyfill';
import { fromWireError } from '../shared/wire-error-schema';
import type { UiMethod, UiParams, UiRequest, UiResponse, UiResults } from '../shared/ui-protocol';

/** Calls a background UI method; rejects with an error carrying the stable `code`. */
export async function callBackground<M extends UiMethod>(method: M, params: UiParams<M>): Promise<UiResults[M]> {
  const request: UiRequest<M> = { channel: 'nhi-card-ui', method, params };
  const response: UiResponse<M> | undefined = await browser.runtime.sendMessage(request);
  if (response === undefined) throw fromWireError({ code: 'EXTENSION_UNAVAILABLE', message: 'the background did not answer' });
  if (!response.ok) throw fromWireError(response.error);
  return response.value;
}
