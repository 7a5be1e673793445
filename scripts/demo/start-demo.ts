/**
 * `scripts/start`: read an NHI card with the built `nhi-card`, from a real reader when the system
 * pcscd has one with a card in it, else from the virtual demo card on a private pcscd.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRig } from '../../test/rig/rig';

const run = promisify(execFile);
const nhiCard = join(import.meta.dirname, '..', '..', 'dist', 'native-host', 'nhi-card');

/** True when the system's own pcscd reports a reader with a card in it. */
async function realCardPresent(): Promise<boolean> {
  try {
    const { stdout } = await run(nhiCard, ['readers', '--json'], { timeout: 10_000 });
    const { readers } = JSON.parse(stdout) as { readers: { cardPresent: boolean }[] };
    return readers.some((reader) => reader.cardPresent);
  } catch {
    return false;
  }
}

async function readWith(env: NodeJS.ProcessEnv): Promise<void> {
  const { stdout } = await run(nhiCard, ['read'], { env, timeout: 30_000 });
  process.stdout.write(stdout);
}

if (await realCardPresent()) {
  console.log('Using the real reader and card found on this machine.\n');
  await readWith(process.env);
} else {
  console.log('No real reader with a card: starting a private pcscd with the virtual demo card.\n');
  const rig = await startRig({ readers: 2 });
  try {
    await rig.insertCard(0, 'demo');
    await readWith({ ...process.env, ...rig.env });
  } finally {
    await rig.close();
  }
}
