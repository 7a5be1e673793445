/**
 * Starts a rig and never closes it, for the test that proves an abandoned rig's pcscd dies with
 * its process. Prints {"pid": <pcscd pid>, "dir": <rig dir>} on one line, then waits to be
 * killed, or exits by itself when given "exit".
 */
import { startRig } from './rig.js';

const rig = await startRig();
process.stdout.write(`${JSON.stringify({ pid: rig.pcscdPid, dir: rig.dir })}\n`);
if (process.argv[2] === 'exit') process.exit(3);
setInterval(() => undefined, 60_000);
