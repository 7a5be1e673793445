/**
 * Content scripts for origins added by the user or by policy. The built-in origins are static in
 * the manifest; extra origins are registered at run time, and only while the browser holds the
 * host permission for them (granted in the options page), using the same script files the
 * manifest declares.
 */
import type { Scripting } from 'webextension-polyfill';
import { matchPatternFor } from '../shared/trusted-origins';

const SCRIPT_ID_PREFIX = 'extra-origins-';

/** The part of the browser the registrar uses. */
export interface RegistrarBrowser {
  readonly scripting: Pick<Scripting.Static, 'getRegisteredContentScripts' | 'registerContentScripts' | 'unregisterContentScripts'>;
  readonly permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  /** The manifest's content scripts, whose files are reused. */
  readonly manifestContentScripts: readonly { js?: string[]; world?: string }[];
}

/** The origins (of `origins`) the browser lets us inject into. */
export async function grantedOrigins(browser: RegistrarBrowser, origins: readonly string[]): Promise<string[]> {
  const granted: string[] = [];
  for (const origin of origins) {
    if (await browser.permissions.contains({ origins: [matchPatternFor(origin)] })) granted.push(origin);
  }
  return granted;
}

/** Makes the registered content scripts cover exactly `origins`. */
export async function syncContentScripts(browser: RegistrarBrowser, origins: readonly string[]): Promise<void> {
  const existing = await browser.scripting.getRegisteredContentScripts();
  const ours = existing.map((script) => script.id).filter((id) => id.startsWith(SCRIPT_ID_PREFIX));
  if (ours.length > 0) await browser.scripting.unregisterContentScripts({ ids: ours });
  if (origins.length === 0) return;
  const matches = origins.map(matchPatternFor);
  const scripts: Scripting.RegisteredContentScript[] = [];
  for (const entry of browser.manifestContentScripts) {
    const world = entry.world === 'MAIN' ? 'MAIN' : 'ISOLATED';
    scripts.push({
      id: `${SCRIPT_ID_PREFIX}${world.toLowerCase()}`,
      js: entry.js ?? [],
      matches,
      runAt: 'document_start',
      allFrames: true,
      world,
    });
  }
  await browser.scripting.registerContentScripts(scripts);
}
