/**
 * Reads native methods and accessors off a prototype once, when the script starts, so later calls
 * go to the originals whatever a page script replaces afterwards.
 */

/** A function-valued part of a property descriptor, or undefined when absent. */
function descriptorFunction(prototype: object, name: string, part: 'value' | 'get' | 'set'): ((this: unknown, ...args: unknown[]) => unknown) | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  const value: unknown = descriptor === undefined ? undefined : Reflect.get(descriptor, part);
  return typeof value === 'function' ? (value as (this: unknown, ...args: unknown[]) => unknown) : undefined;
}

/** The method `name` of `prototype`; undefined when it has none. */
export function nativeMethod(prototype: object, name: string): ((this: unknown, ...args: unknown[]) => unknown) | undefined {
  return descriptorFunction(prototype, name, 'value');
}

/** The getter of accessor `name` on `prototype`; undefined when it has none. */
export function nativeGetter(prototype: object, name: string): ((this: unknown) => unknown) | undefined {
  return descriptorFunction(prototype, name, 'get');
}

/** The setter of accessor `name` on `prototype`; undefined when it has none. */
export function nativeSetter(prototype: object, name: string): ((this: unknown, value: unknown) => unknown) | undefined {
  return descriptorFunction(prototype, name, 'set');
}
