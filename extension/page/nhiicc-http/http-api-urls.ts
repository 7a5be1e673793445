/**
 * Which URLs belong to the 2024 NHIICC component's HTTP API (http://localhost:59001/api/... and
 * https://localhost:59002/api/...). Requests to these are answered in the page and never leave it;
 * every other URL keeps the browser's own network path.
 */
import { HTTP_API_CALLS, STATUS_IMAGES, type HttpApiCall, type StatusImage } from '../../shared/nhiicc-http-names';

/** What a URL on the component's ports asks for; `other` is any other path there (answered 404). */
export type HttpApiTarget = (
  | { readonly kind: 'call'; readonly call: HttpApiCall }
  | { readonly kind: 'image'; readonly image: StatusImage }
  | { readonly kind: 'other' }
) & {
  /** The resolved URL. */
  readonly href: string;
};

/** The URL constructor as it was when the script started; a page may replace the global later. */
const NativeURL = URL;

/** Loopback names the library (and copies of it) use for the component. */
const COMPONENT_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);
/** 59001 (HTTP) and 59002 (HTTPS); either scheme on either port is still the component. */
const COMPONENT_PORTS: ReadonlySet<string> = new Set(['59001', '59002']);
const API_PREFIX = '/api/';

/** Case-insensitive lookup, as the component's web server routes paths. */
function byLowerCase<T extends string>(names: readonly T[]): ReadonlyMap<string, T> {
  return new Map(names.map((name) => [name.toLowerCase(), name]));
}
const CALLS_BY_PATH = byLowerCase(HTTP_API_CALLS);
const IMAGES_BY_PATH = byLowerCase(STATUS_IMAGES);

/**
 * What `input` (resolved against `base`, as XHR, fetch and images resolve it) asks of the
 * component, or undefined when it is not a component URL. Query and fragment are ignored
 * (`GetStatus.bmp?tick=...`).
 */
export function httpApiTarget(input: string, base?: string): HttpApiTarget | undefined {
  let url: URL;
  try {
    url = base === undefined ? new NativeURL(input) : new NativeURL(input, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!COMPONENT_HOSTS.has(url.hostname) || !COMPONENT_PORTS.has(url.port)) return undefined;
  const href = url.href;
  const path = url.pathname.toLowerCase();
  const name = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : undefined;
  const call = name === undefined ? undefined : CALLS_BY_PATH.get(name);
  if (call !== undefined) return { kind: 'call', call, href };
  const image = name === undefined ? undefined : IMAGES_BY_PATH.get(name);
  if (image !== undefined) return { kind: 'image', image, href };
  return { kind: 'other', href };
}
