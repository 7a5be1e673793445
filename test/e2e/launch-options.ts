/** What every launcher needs to know about the stack and the run. */
import { LEGACY_COMPONENT_HOST, SITE_HOSTS } from '../site/site-hosts';

export interface LaunchOptions {
  /** The port the replica site serves HTTPS and HTTP on (Firefox requires 443, see the harness). */
  readonly sitePort: number;
  /** Environment the browser passes on to the native host (PC/SC socket, SAM endpoint). */
  readonly hostEnv: Readonly<Record<string, string>>;
  /** Register the native host (default true); false reproduces "host not installed". */
  readonly registerHost?: boolean;
  readonly headless?: boolean;
  /** A directory this run owns: profile and HOME go below it. */
  readonly runDir: string;
  /** The unpacked extension for this browser (a snapshot of dist/chrome or dist/firefox). */
  readonly extensionDir: string;
  /** Further unpacked extensions to load next to ours (a test's foreign extension), per browser. */
  readonly extraExtensionDirs?: readonly string[];
}

/** The names the browser must resolve to the local site, plus the component's name. */
export const MAPPED_HOSTS: readonly string[] = SITE_HOSTS;
export { LEGACY_COMPONENT_HOST };
