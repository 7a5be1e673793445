/**
 * The PcscBinding over the platform's own PC/SC library through koffi: winscard.dll on Windows
 * (where no prebuilt `pcsclite` addon exists), libpcsclite.so.1 on Linux, PCSC.framework on macOS.
 */
import type { PcscBinding } from '../pcsclite-binding';
import { FfiContext } from './ffi-context';
import { abiFor } from './pcsc-abi';
import { loadWinscard, type WinscardLibrary } from './winscard-library';

/** The ffi binding for this process's platform; the library is loaded on the first `open`. */
export function createFfiBinding(platform: string = process.platform, arch: string = process.arch): PcscBinding {
  let library: WinscardLibrary | undefined;
  return {
    open(onListed) {
      library ??= loadWinscard(abiFor(platform, arch));
      return new FfiContext(library, onListed);
    },
  };
}
