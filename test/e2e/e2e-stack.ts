/**
 * Everything a browser test talks to besides the browser: a private pcscd with virtual readers
 * (the demo card inserted), the SAM service simulator, and the replica sites.
 */
import { type Rig, startRig } from '../rig/rig';
import { type SamSimulator, startSamSimulator } from '../sim/sam/sam-simulator';
import { type Site, type SiteListenAddress, startSite } from '../site/site-server';

export interface E2eStack {
  readonly rig: Rig;
  readonly sam: SamSimulator;
  readonly site: Site;
  /** The port the site serves HTTPS (and plain HTTP) on for Chromium's resolver rules. */
  readonly sitePort: number;
  /** What the browser must pass on to the native host. */
  readonly hostEnv: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * `production`: the site on 127.0.0.1:443 and :80, as Firefox needs (URLs keep their real
   * origins and Firefox cannot remap ports); `any-port`: one free port (Chromium maps ports).
   */
  readonly ports: 'production' | 'any-port';
  /** How long to wait for 443/80 to become free (another run may hold them). */
  readonly portWaitMs?: number;
  /** Where pcscd listens (default: the rig's own per-process path), e.g. inside a chroot. */
  readonly rigSocketPath?: string;
}

const PRODUCTION_PORTS: readonly SiteListenAddress[] = [
  { host: '127.0.0.1', port: 443 },
  { host: '127.0.0.1', port: 80 },
];

async function startSiteWithRetry(verify: SamSimulator['verifySignature'], options: StackOptions): Promise<Site> {
  if (options.ports === 'any-port') return startSite({ verifySignature: verify });
  const deadline = performance.now() + (options.portWaitMs ?? 30_000);
  for (;;) {
    try {
      return await startSite({ verifySignature: verify, listen: PRODUCTION_PORTS });
    } catch (error) {
      const busy = error instanceof Error && error.message.includes('EADDRINUSE');
      if (!busy || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Starts the rig (demo card in slot 0), the SAM simulator and the site; on failure, stops what started. */
export async function startE2eStack(options: StackOptions): Promise<E2eStack> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const rig = await startRig({ readers: 2, ...(options.rigSocketPath === undefined ? {} : { socketPath: options.rigSocketPath }) });
    started.push(rig);
    await rig.insertCard(0, 'demo');
    const sam = await startSamSimulator();
    started.push(sam);
    const site = await startSiteWithRetry((input) => sam.verifySignature(input), options);
    started.push(site);
    return {
      rig,
      sam,
      site,
      sitePort: site.ports[0] ?? 443,
      hostEnv: { ...rig.env, NHI_CARD_SAM_ENDPOINT: `${sam.host}:${sam.port}` },
      close: async () => {
        await closeAll(started);
      },
    };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

async function closeAll(parts: readonly { close(): Promise<void> }[]): Promise<void> {
  const results = await Promise.allSettled([...parts].reverse().map((part) => part.close()));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
