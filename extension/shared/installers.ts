/**
 * How people install the card service, in one place: the installer file names the packaging
 * builds (Windows setup, Debian package) and where to download them. No download address is
 * known yet, so none is shown; set INSTALLER_DOWNLOAD_PAGE when releases have a home.
 */

/** The page that offers the installers for download, or undefined while there is none. */
export const INSTALLER_DOWNLOAD_PAGE: string | undefined = undefined;

/** The Windows setup program's file name for an extension version (x64 only). */
export function windowsSetupFileName(version: string): string {
  return `nhi-card-bridge-setup-${version}-x64.exe`;
}

/** Debian's name for a CPU, from the browser's (`x86-64`, `arm64`, ...); undefined when no package is built for it. */
export function debianArchitecture(browserArch: string): string | undefined {
  if (browserArch === 'x86-64') return 'amd64';
  if (browserArch === 'arm64' || browserArch === 'aarch64') return 'arm64';
  return undefined;
}

/** The Debian package's file name for an extension version and Debian architecture. */
export function debianPackageFileName(version: string, architecture: string): string {
  return `nhi-card-bridge_${version}-1_${architecture}.deb`;
}

/** The command that registers the host from a built checkout (any OS). */
export const CHECKOUT_INSTALL_COMMAND = 'npm ci && npm run build && ./dist/native-host/nhi-card install';
