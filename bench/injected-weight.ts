/**
 * The bytes a build injects into every trusted frame: the files its manifest's content_scripts
 * name, as built. They are standalone IIFE builds, which import nothing (`importsOf` finds any
 * import), so the files are the whole weight. Used by the bench and by the build's budget test.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One injected file of one build. */
export interface InjectedFile {
  readonly file: string;
  readonly bytes: number;
}

/** The files a build's manifest injects into a trusted frame, and their total. */
export interface InjectedWeight {
  readonly files: readonly InjectedFile[];
  readonly totalBytes: number;
}

interface ManifestScripts {
  readonly content_scripts?: readonly { readonly js?: readonly string[] }[];
}

/** Module imports in a built script (static or dynamic); an injected IIFE must have none. */
export function importsOf(code: string): string[] {
  return [...code.matchAll(/(?<![\w$.])import\s*(?:[({*"'`]|\s[\w$])/gu)].map((match) => match[0].trim());
}

/** The files the manifest in `extensionDir` injects into pages, with their sizes. */
export async function injectedWeight(extensionDir: string): Promise<InjectedWeight> {
  const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8')) as ManifestScripts;
  const names = [...new Set((manifest.content_scripts ?? []).flatMap((script) => script.js ?? []))];
  const files: InjectedFile[] = [];
  for (const file of names) files.push({ file, bytes: (await stat(join(extensionDir, file))).size });
  return { files, totalBytes: files.reduce((sum, entry) => sum + entry.bytes, 0) };
}
