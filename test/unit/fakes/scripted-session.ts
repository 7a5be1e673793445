/**
 * A strict, ordered APDU script standing in for a card. Each step names the exact command it
 * expects (as hex) and what the "card" does: answer bytes, or reject the exchange. Anything else
 * (another command, a command after the script ended) fails with the step number and both hex
 * strings, so a test shows exactly which APDU went wrong.
 *
 * @example
 * const session = new ScriptedSession([
 *   { expect: '00 A4 04 00 10 D1 58 00 00 01 00 00 00 00 00 00 00 00 00 11 00', reply: '90 00' },
 *   { expect: '00 84 00 00 08', reply: '01 02 03 04 05 06 07 08 90 00' },
 * ]);
 * await codeUnderTest(session);
 * session.assertDone();
 */
import type { CardSession } from '../../../native-host/card/card-session';
import { fromHex, toHex } from '../../../native-host/card/hex';

/** The card answers with these bytes (hex; spaces allowed). `''` or `'90'` model a truncated answer. */
export interface ReplyStep {
  readonly expect: string;
  readonly reply: string;
}

/** The exchange fails with `reject`, as the PC/SC layer would on a removed card or a timeout. */
export interface RejectStep {
  readonly expect: string;
  readonly reject: Error;
}

/** The card never answers: the exchange stays pending for ever, as with a mute card. */
export interface NoAnswerStep {
  readonly expect: string;
  readonly noAnswer: true;
}

/** One expected command and the card's reaction to it. */
export type ScriptStep = ReplyStep | RejectStep | NoAnswerStep;

/** The code under test sent something the script did not expect. */
export class ScriptMismatchError extends Error {
  override readonly name = 'ScriptMismatchError';
}

/** A CardSession that plays an ordered script and fails on any deviation from it. */
export class ScriptedSession implements CardSession {
  private readonly steps: readonly ScriptStep[];
  private next = 0;
  private mismatch: ScriptMismatchError | undefined;
  private readonly sentCommands: string[] = [];

  constructor(steps: readonly ScriptStep[]) {
    // Normalise now so a malformed script fails at construction, not in the middle of a test.
    this.steps = steps.map((step) => ({ ...step, expect: normalizeHex(step.expect) }));
    for (const step of this.steps) if ('reply' in step) fromHex(step.reply);
  }

  /** Every command received so far, as upper-case spaced hex, in order. */
  get sent(): readonly string[] {
    return this.sentCommands;
  }

  /** How many steps have not been played yet. */
  get remaining(): number {
    return this.steps.length - this.next;
  }

  /** Plays the next step if `command` is the one it expects; rejects with ScriptMismatchError otherwise. */
  transmit(command: Uint8Array): Promise<Uint8Array> {
    const actual = toHex(command);
    this.sentCommands.push(actual);
    if (this.mismatch) return Promise.reject(this.mismatch);
    const stepNumber = this.next + 1;
    const step = this.steps[this.next];
    if (step === undefined) {
      return this.fail(`step ${stepNumber}: the script has ended (${this.steps.length} steps) but got ${actual}`);
    }
    if (step.expect !== actual) {
      return this.fail(`step ${stepNumber}: expected ${step.expect} but got ${actual}`);
    }
    this.next++;
    if ('noAnswer' in step) return new Promise<never>(() => undefined);
    return 'reject' in step ? Promise.reject(step.reject) : Promise.resolve(fromHex(step.reply));
  }

  /**
   * Throws if a step was left unplayed or any mismatch happened, even one the code under test
   * caught and swallowed.
   */
  assertDone(): void {
    if (this.mismatch) throw this.mismatch;
    const step = this.steps[this.next];
    if (step !== undefined) {
      throw new ScriptMismatchError(`${this.remaining} script step(s) not played; next is step ${this.next + 1}: ${step.expect}`);
    }
  }

  private fail(message: string): Promise<never> {
    this.mismatch = new ScriptMismatchError(message);
    return Promise.reject(this.mismatch);
  }
}

function normalizeHex(text: string): string {
  return toHex(fromHex(text));
}
