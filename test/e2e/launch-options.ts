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
  /**
   * Chromium only, the network as on a person's machine: the local site's address counts as a
   * public web server, as the real sites are, so Local Network Access applies to its pages
   * (without it, a page served from 127.0.0.1 may reach loopback freely and no permission would
   * ever be asked for); and `localhost` resolves to loopback (otherwise the resolver rules send
   * every name but the site's nowhere, so a request to localhost could not reach a listener).
   */
  readonly sitesArePublic?: boolean;
}

/** The names the browser must resolve to the local site, plus the component's name. */
export const MAPPED_HOSTS: readonly string[] = SITE_HOSTS;
export { LEGACY_COMPONENT_HOST };
