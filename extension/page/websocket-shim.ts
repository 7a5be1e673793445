/**
 * Replaces the page's WebSocket constructor so that NHIICC URLs are answered by the extension and
 * every other URL gets the browser's own WebSocket, untouched. The replacement is a Proxy of the
 * native constructor, so name, length, prototype, constants, `instanceof` and subclassing all keep
 * behaving natively.
 */
import { LegacySocket, type LegacyLink } from './legacy-socket';
import { legacyNhiiccUrl } from './legacy-urls';
import * as natives from './page-natives';

type WebSocketConstructor = new (...args: unknown[]) => object;

/** The scope whose WebSocket is replaced (the page window in the browser). */
export interface ShimScope {
  WebSocket?: unknown;
  location?: { href: string };
}

/** The NHIICC URL a constructor call asks for, or undefined to let the native constructor handle it. */
function legacyTarget(args: readonly unknown[], base: string | undefined): string | undefined {
  if (args.length === 0) return undefined;
  try {
    return legacyNhiiccUrl(String(args[0]), base);
  } catch {
    return undefined; // e.g. a Symbol or a throwing toString: the native constructor reports it.
  }
}

/**
 * Installs the shim on `scope`; returns false when there is no WebSocket to wrap. Each shimmed
 * socket talks to the extension through `link`.
 */
export function installWebSocketShim(scope: ShimScope, link: LegacyLink): boolean {
  const descriptor = natives.getOwnDescriptor(scope, 'WebSocket');
  const Native = scope.WebSocket;
  if (typeof Native !== 'function' || descriptor === undefined) return false;
  const NativeWebSocket = Native as WebSocketConstructor;

  // Shimmed sockets inherit from the native prototype, so `instanceof WebSocket`, the constants
  // and Object.prototype.toString all answer as for a real socket; the shim's own accessors come first.
  Object.setPrototypeOf(LegacySocket.prototype, NativeWebSocket.prototype as object);

  const shim: WebSocketConstructor = new Proxy(NativeWebSocket, {
    construct(target, args, newTarget): object {
      const url: string | undefined = newTarget === shim ? legacyTarget(args, scope.location?.href) : undefined;
      if (url === undefined) return Reflect.construct(target, args, newTarget) as object;
      return new LegacySocket(url, link);
    },
  });
  natives.defineProperty(LegacySocket.prototype, 'constructor', { value: shim, writable: true, configurable: true, enumerable: false });
  natives.defineProperty(scope, 'WebSocket', { value: shim, writable: true, configurable: true, enumerable: descriptor.enumerable ?? false });
  return true;
}
