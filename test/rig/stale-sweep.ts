/**
 * Removes rig leftovers of processes that died without cleaning up (SIGKILL, OOM): their pcscd
 * died with them (PR_SET_PDEATHSIG in the shim), but temp dirs and socket dirs remain.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** File in every rig dir naming the process that owns it. */
export const OWNER_FILE = 'owner.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but not ours.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

async function ownerOf(name: string): Promise<number | undefined> {
  const socketDir = /^nhi-rig-(\d+)$/.exec(name);
  if (socketDir?.[1] !== undefined) return Number(socketDir[1]);
  try {
    const owner = Number((await readFile(join(tmpdir(), name, OWNER_FILE), 'utf8')).trim());
    return Number.isInteger(owner) && owner > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes nhi-rig-* dirs in os.tmpdir() whose owning process is gone. Never throws. */
export async function sweepStaleRigDirs(): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith('nhi-rig-') || name.includes('.')) continue;
    const owner = await ownerOf(name);
    if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}
