/**
 * The platform's PC/SC library (winscard.dll, libpcsclite.so.1, PCSC.framework) through koffi.
 * Every pointer is a Node buffer laid out by PcscAbi, so one declaration serves every platform.
 * Calls that may block (status changes, connect, transmit) run on libuv's thread pool through
 * koffi's async calls, never on the event loop.
 */
import type { Buffer } from 'node:buffer';
import type * as Koffi from 'koffi';
import { loadPackage } from '../load-package';
import { statusOf } from './abi-values';
import type { PcscAbi } from './pcsc-abi';

/** A declared C function as far as we use it (koffi's own type is `any`-typed). */
interface AsyncFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

/** The PC/SC calls we make; pointers are buffers, handles bigints, results unsigned status codes. */
export interface WinscardLibrary {
  readonly abi: PcscAbi;
  /** Address of a buffer's memory, for pointers inside structs. */
  readonly addressOf: (buffer: Buffer) => bigint;
  establishContext(scope: number, contextOut: Buffer): number;
  releaseContext(context: bigint): number;
  cancel(context: bigint): number;
  listReaders(context: bigint, readers: Buffer | null, length: Buffer): Promise<number>;
  getStatusChange(context: bigint, timeoutMs: number, states: Buffer, count: number): Promise<number>;
  connect(context: bigint, reader: Buffer, shareMode: number, protocols: number, cardOut: Buffer, protocolOut: Buffer): Promise<number>;
  disconnect(card: bigint, disposition: number): Promise<number>;
  transmit(card: bigint, sendPci: Buffer, send: Buffer, recv: Buffer, recvLength: Buffer): Promise<number>;
}

function callAsync(fn: AsyncFunction, args: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (error: unknown, result: unknown) => {
      if (error === null || error === undefined) resolve(statusOf(result));
      else reject(error instanceof Error ? error : new Error('PC/SC call failed'));
    });
  });
}

/** Handles go to koffi as numbers when 32-bit (macOS), bigints otherwise. */
function handleArgument(abi: PcscAbi, handle: bigint): bigint | number {
  return abi.handle === 'int32' ? Number(handle) : handle;
}

/** Opens the library and declares its functions; throws when the library cannot be loaded. */
export function loadWinscard(abi: PcscAbi): WinscardLibrary {
  const koffi = loadPackage('koffi') as typeof Koffi;
  const library = koffi.load(abi.library);
  const suffix = abi.wide ? 'W' : '';
  const { dword, long, handle } = abi;
  const declare = (name: string, parameters: string[]): AsyncFunction => library.func(name, long, parameters) as AsyncFunction;
  const establish = declare('SCardEstablishContext', [dword, 'void *', 'void *', 'void *']);
  const release = declare('SCardReleaseContext', [handle]);
  const cancel = declare('SCardCancel', [handle]);
  const list = declare(`SCardListReaders${suffix}`, [handle, 'void *', 'void *', 'void *']);
  const statusChange = declare(`SCardGetStatusChange${suffix}`, [handle, dword, 'void *', dword]);
  const connect = declare(`SCardConnect${suffix}`, [handle, 'void *', dword, dword, 'void *', 'void *']);
  const disconnect = declare('SCardDisconnect', [handle, dword]);
  const transmit = declare('SCardTransmit', [handle, 'void *', 'void *', dword, 'void *', 'void *', 'void *']);
  const h = (value: bigint) => handleArgument(abi, value);
  return {
    abi,
    addressOf: (buffer) => koffi.address(buffer),
    establishContext: (scope, contextOut) => statusOf(establish(scope, null, null, contextOut)),
    releaseContext: (context) => statusOf(release(h(context))),
    cancel: (context) => statusOf(cancel(h(context))),
    listReaders: (context, readers, length) => callAsync(list, [h(context), null, readers, length]),
    getStatusChange: (context, timeoutMs, states, count) => callAsync(statusChange, [h(context), timeoutMs, states, count]),
    connect: (context, reader, shareMode, protocols, cardOut, protocolOut) =>
      callAsync(connect, [h(context), reader, shareMode, protocols, cardOut, protocolOut]),
    disconnect: (card, disposition) => callAsync(disconnect, [h(card), disposition]),
    transmit: (card, sendPci, send, recv, recvLength) => callAsync(transmit, [h(card), sendPci, send, send.length, null, recv, recvLength]),
  };
}
