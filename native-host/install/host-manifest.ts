/**
 * The native messaging host manifest, one template per browser family: Chromium derivatives name
 * the extensions allowed to start the host in `allowed_origins`, Firefox in `allowed_extensions`.
 * Written with JSON.stringify from these typed objects, never by string templates.
 */
import { ALLOWED_EXTENSIONS_ENV } from '../host/caller';
import { CHROME_EXTENSION_ID, CHROMIUM_EXTENSION_IDS, GECKO_EXTENSION_ID, GECKO_EXTENSION_IDS, NATIVE_HOST_NAME } from '../protocol/extension-ids';
import type { BrowserFamily } from './browsers';

const DESCRIPTION = 'NHI Card Bridge (健保卡橋接): reads Taiwan NHI cards over PC/SC for the NHI Card Bridge extension';

interface ManifestCommon {
  readonly name: string;
  readonly description: string;
  /** Absolute path of an executable launcher (Windows: may sit beside the manifest). */
  readonly path: string;
  readonly type: 'stdio';
}

export interface ChromiumHostManifest extends ManifestCommon {
  readonly allowed_origins: readonly string[];
}

export interface FirefoxHostManifest extends ManifestCommon {
  readonly allowed_extensions: readonly string[];
}

export type HostManifest = ChromiumHostManifest | FirefoxHostManifest;

const chromiumId = /^[a-p]{32}$/;

/** `chrome-extension://<id>/`, the origin form Chromium's allowed_origins takes. */
export function chromeOrigin(id: string): string {
  return `chrome-extension://${id}/`;
}

/**
 * Extra extension IDs from NHI_CARD_ALLOWED_EXTENSIONS (development builds), split by family:
 * 32 letters a-p is a Chromium ID, anything else is taken as a gecko ID. The host honours the
 * same variable, so a dev build is allowed by both the browser and the host.
 */
export function extraExtensionIds(env: Readonly<Record<string, string | undefined>>): { chromium: string[]; firefox: string[] } {
  const ids = (env[ALLOWED_EXTENSIONS_ENV] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  return { chromium: ids.filter((id) => chromiumId.test(id)), firefox: ids.filter((id) => !chromiumId.test(id)) };
}

/** The manifest for `family` pointing at `launcherPath`, allowing our extension (dev and store IDs) plus `extra` IDs. */
export function buildHostManifest(
  family: BrowserFamily,
  launcherPath: string,
  extra: { readonly chromium: readonly string[]; readonly firefox: readonly string[] } = { chromium: [], firefox: [] },
): HostManifest {
  const common = { name: NATIVE_HOST_NAME, description: DESCRIPTION, path: launcherPath, type: 'stdio' } as const;
  if (family === 'chromium') {
    const origins = [...CHROMIUM_EXTENSION_IDS, ...extra.chromium].map(chromeOrigin);
    return { ...common, allowed_origins: [...new Set(origins)] } satisfies ChromiumHostManifest;
  }
  return { ...common, allowed_extensions: [...new Set([...GECKO_EXTENSION_IDS, ...extra.firefox])] } satisfies FirefoxHostManifest;
}

/** The bytes written to disk: two-space JSON and a final newline. */
export function serializeHostManifest(manifest: HostManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** What a manifest file found on disk says, as far as the installer and doctor care. */
export interface ParsedManifest {
  readonly name: unknown;
  readonly path: unknown;
  readonly type: unknown;
  /** allowed_origins (Chromium) or allowed_extensions (Firefox), whichever is present. */
  readonly allowed: readonly unknown[] | undefined;
}

/** Parses manifest text; null when it is not a JSON object. */
export function parseHostManifest(text: string): ParsedManifest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const allowed = record.allowed_origins ?? record.allowed_extensions;
  return { name: record.name, path: record.path, type: record.type, allowed: Array.isArray(allowed) ? (allowed as unknown[]) : undefined };
}

/**
 * True when the manifest text registers our host name for `launcherPath`: then this
 * installation wrote it and may replace or remove it. A manifest with our name pointing anywhere
 * else belongs to another installation (the .deb, another checkout) and is left alone.
 */
export function isManifestFor(text: string, launcherPath: string): boolean {
  const manifest = parseHostManifest(text);
  return manifest !== null && manifest.name === NATIVE_HOST_NAME && manifest.path === launcherPath;
}

/** The ID a browser of `family` passes to the host for our extension (argv when it starts it). */
export function ourExtensionId(family: BrowserFamily): string {
  return family === 'chromium' ? CHROME_EXTENSION_ID : GECKO_EXTENSION_ID;
}

/** Whether a parsed manifest lets our extension start the host. */
export function allowsOurExtension(manifest: ParsedManifest, family: BrowserFamily): boolean {
  const wanted = family === 'chromium' ? chromeOrigin(CHROME_EXTENSION_ID) : GECKO_EXTENSION_ID;
  return manifest.allowed?.includes(wanted) ?? false;
}
