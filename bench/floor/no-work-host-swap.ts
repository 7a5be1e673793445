/**
 * Puts bench/floor/no-work-host.mjs in the real host's place for one browser profile while `run`
 * runs: our extension, unchanged, then talks to a host that answers at once. The manifest is
 * rewritten before the running host is stopped and restored before the stand-in is stopped, so
 * the background's reconnects always start the host the measurement wants.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserName } from '../../test/e2e/browser-session';
import { theHostPid, waitForNoHost } from '../../test/e2e/host-process';
import { NATIVE_HOST_NAME } from '../../native-host/protocol/extension-ids';
import { PROTOCOL_VERSION } from '../../native-host/protocol/messages';
import { hostManifestDir } from './floor-paths';

const NO_WORK_HOST_SCRIPT = resolve(import.meta.dirname, 'no-work-host.mjs');

async function stopped(pid: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(20);
  }
  throw new Error(`the no-work host (pid ${pid}) did not stop`);
}

/** Runs `run` with the no-work host registered as ours; `pcscSocket` tells our running host apart. */
export async function withNoWorkHost<T>(browser: BrowserName, runDir: string, pcscSocket: string, run: () => Promise<T>): Promise<T> {
  const manifestPath = join(hostManifestDir(browser, runDir), `${NATIVE_HOST_NAME}.json`);
  const original = await readFile(manifestPath, 'utf8');
  const pidFile = join(runDir, 'no-work-host.pid');
  const launcher = join(runDir, 'no-work-host.sh');
  await writeFile(launcher, `#!/bin/sh\nexec '${process.execPath}' '${NO_WORK_HOST_SCRIPT}' '${pidFile}' ${PROTOCOL_VERSION} "$@"\n`, { mode: 0o755 });
  await writeFile(manifestPath, JSON.stringify({ ...(JSON.parse(original) as object), path: launcher }));
  try {
    process.kill(await theHostPid(pcscSocket), 'SIGTERM');
    await waitForNoHost(pcscSocket);
    return await run();
  } finally {
    await writeFile(manifestPath, original);
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
      await stopped(pid);
    }
  }
}
