declare const __NHI_CARD_VERSION__: string | undefined;

/** The host's version: stamped into the bundle by the build, "0.0.0-dev" when run from source. */
export const HOST_VERSION: string = typeof __NHI_CARD_VERSION__ === 'string' ? __NHI_CARD_VERSION__ : '0.0.0-dev';

/** What `nhi-card --version` prints: the host's version, then the Node.js runtime running it. */
export function versionLine(runtimeVersion: string = process.version): string {
  return `${HOST_VERSION} (Node.js ${runtimeVersion})`;
}
