/**
 * The status-image channel: setting an image's `src` to the component's `GetStatus.bmp` or
 * `GetCardStatus.bmp` loads the bitmap the background built (a data: URL, so the canvas the
 * library draws it on stays readable) instead of requesting loopback. Any other URL on the component's
 * ports gets an image that fails to load; all other URLs are the browser's, untouched.
 */
import type { HttpApiResponder } from './http-api-responder';
import { httpApiTarget, type HttpApiTarget } from './http-api-urls';
import * as natives from '../page-natives';
import { PrivateSlot } from './private-stamp';

/** A source that fails to decode, so the image fires `error` as for a component that is not there. */
export const BROKEN_IMAGE_URL = 'data:,';

/** What the shim needs from the page's globals (the window in the browser). */
export interface ImageScope {
  HTMLImageElement?: unknown;
  location?: { href: string };
}

/** Installs the shim on `scope`; false when there are no images to extend. */
export function installImageShim(scope: ImageScope, responder: HttpApiResponder): boolean {
  const NativeImage = scope.HTMLImageElement;
  if (typeof NativeImage !== 'function') return false;
  const prototype = (NativeImage as { prototype: object }).prototype;
  const descriptor = natives.getOwnDescriptor(prototype, 'src');
  const nativeSet = natives.nativeOf(prototype, 'src', 'set');
  if (descriptor === undefined || nativeSet === undefined) return false;
  const apply = Reflect.apply;
  const pageBase = scope.location?.href;
  // The latest status request per image: a later `src` wins over an answer still on its way.
  const latest = new PrivateSlot<number>();
  let requests = 0;

  const load = (image: object, target: Extract<HttpApiTarget, { kind: 'image' }>): void => {
    requests += 1;
    const request = requests;
    latest.set(image, request);
    void natives.promiseThen(
      responder.statusImage(target.image),
      (url) => {
        if (latest.get(image) === request) apply(nativeSet, image, [url ?? BROKEN_IMAGE_URL]);
      },
      () => {
        if (latest.get(image) === request) apply(nativeSet, image, [BROKEN_IMAGE_URL]);
      },
    );
  };

  const set = function (this: object, value: unknown): void {
    let target: HttpApiTarget | undefined;
    try {
      target = httpApiTarget(String(value), pageBase);
    } catch {
      target = undefined;
    }
    if (latest.get(this) !== undefined) latest.set(this, 0);
    if (target === undefined) {
      apply(nativeSet, this, [value]);
      return;
    }
    if (target.kind === 'image') {
      load(this, target);
      return;
    }
    apply(nativeSet, this, [BROKEN_IMAGE_URL]);
  };
  natives.defineProperty(set, 'name', { value: 'set src', configurable: true });
  natives.defineProperty(prototype, 'src', { ...descriptor, set });
  return true;
}
