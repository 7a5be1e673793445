/**
 * FfiContext.close() over a strict fake of the PC/SC library that behaves as pcsc-lite does: a
 * SCardCancel that arrives before SCardGetStatusChange has begun waiting on its worker thread is
 * dropped. The context must still end the wait and release itself, or the process never exits.
 */
import type { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { FfiContext } from '../../../native-host/pcsc/ffi/ffi-context';
import { LINUX_64_ABI } from '../../../native-host/pcsc/ffi/pcsc-abi';
import type { WinscardLibrary } from '../../../native-host/pcsc/ffi/winscard-library';
import { PcscStatus } from '../../../native-host/pcsc/pcsc-error';

/** A library with no readers whose status-change wait begins one event-loop turn after the call. */
function libraryDroppingEarlyCancels(onWaitRequested: () => void) {
  const calls = { cancelsDropped: 0, cancelsDelivered: 0, released: 0 };
  let endWait: ((status: number) => void) | undefined;
  let begun = false;
  const unexpected = (name: string) => (): never => {
    throw new Error(`unexpected PC/SC call ${name}`);
  };
  const library: WinscardLibrary = {
    abi: LINUX_64_ABI,
    addressOf: () => 0n,
    establishContext: (_scope: number, out: Buffer) => {
      out.writeBigUInt64LE(7n);
      return PcscStatus.success;
    },
    releaseContext: () => {
      calls.released++;
      return PcscStatus.success;
    },
    cancel: () => {
      if (begun && endWait !== undefined) {
        calls.cancelsDelivered++;
        endWait(PcscStatus.cancelled);
      } else {
        calls.cancelsDropped++;
      }
      return PcscStatus.success;
    },
    listReaders: () => Promise.resolve(PcscStatus.noReadersAvailable),
    getStatusChange: () =>
      new Promise<number>((resolve) => {
        endWait = resolve;
        setImmediate(() => {
          begun = true;
        });
        onWaitRequested();
      }),
    connect: unexpected('SCardConnect'),
    disconnect: unexpected('SCardDisconnect'),
    transmit: unexpected('SCardTransmit'),
  };
  return { library, calls };
}

describe('FfiContext.close', () => {
  it('ends a status-change wait whose first cancel came before the wait began, and releases the context', async () => {
    // The fake asks for the close while the wait is being requested, before it has begun.
    const opened: { context?: FfiContext } = {};
    const { library, calls } = libraryDroppingEarlyCancels(() => {
      opened.context?.close();
    });
    opened.context = new FfiContext(library, () => undefined);
    await expect.poll(() => calls.released, { timeout: 5000 }).toBe(1);
    expect(calls.cancelsDropped).toBeGreaterThanOrEqual(1);
    expect(calls.cancelsDelivered).toBe(1);
  });
});
