/**
 * Per-object state that page scripts can neither see, forge nor reach through a replaced
 * WeakMap.prototype: a private field added to an existing object. A base class constructor that
 * returns its argument makes `super(target)` hand that object to the subclass's field initializers.
 */

// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a constructor is all it takes.
class ReturnsTarget {
  constructor(target: object) {
    // Returning an object from a constructor makes it `this` for the subclass, fields and all.
    return target;
  }
}

/** A private slot on objects; `get` answers undefined for objects never stamped. */
export class PrivateSlot<T> {
  readonly #Stamp: { read(target: object): T | undefined; write(target: object, value: T): void };

  constructor() {
    class Stamp extends ReturnsTarget {
      #value: T;
      constructor(target: object, value: T) {
        super(target);
        this.#value = value;
      }
      static read(target: object): T | undefined {
        return #value in target ? target.#value : undefined;
      }
      static write(target: object, value: T): void {
        if (#value in target) target.#value = value;
        else new Stamp(target, value);
      }
    }
    this.#Stamp = Stamp;
  }

  /** The value stored on `target`, if any. */
  get(target: object): T | undefined {
    return this.#Stamp.read(target);
  }

  /** Stores `value` on `target`. */
  set(target: object, value: T): void {
    this.#Stamp.write(target, value);
  }
}
