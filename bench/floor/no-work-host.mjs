// A native host that speaks NHI Card Bridge's protocol and does no work: `hello`, then every request
// answered at once with a well-formed result. Registered in place of the real host, it shows what our
// extension costs on the host path; the real host's figures minus its own are the host's cost in the browser.
// The launcher (no-work-host-swap.ts) passes the file to write its pid to and the protocol version to greet with;
// the browser's arguments follow.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { onStdinFrames, writeJsonFrame } from './stdio-frames.mjs';

const [pidFile, protocol] = process.argv.slice(2);
if (pidFile !== undefined) writeFileSync(pidFile, String(process.pid));

/** A result of the right shape: legacy lines get `<command>:0`, the reader list is empty. */
function resultFor(request) {
  if (request.command === 'legacy') return { reply: `${String(request.line).split('?')[0]}:0` };
  if (request.command === 'readers') return { readers: [] };
  return {};
}

writeJsonFrame({ event: 'hello', host: 'no-work', protocol: Number(protocol) });
onStdinFrames((frame) => {
  const request = JSON.parse(frame.subarray(4).toString('utf8'));
  writeJsonFrame({ id: request.id, result: resultFor(request) });
});
