// A native host that speaks NHI Card Bridge's protocol and does no work: `hello`, then every request
// answered at once with a well-formed result. Registered in place of the real host, it shows what our
// extension costs on the host path; the real host's figures minus its own are the host's cost in the browser.
// The launcher (floor-paths.ts) passes the file to write its pid to and the protocol version to greet with;
// the browser's arguments follow.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const [pidFile, protocol] = process.argv.slice(2);
if (pidFile !== undefined) writeFileSync(pidFile, String(process.pid));

function send(message) {
  const body = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  process.stdout.write(Buffer.concat([header, body]));
}

/** A result of the right shape: legacy lines get `<command>:0`, the reader list is empty. */
function resultFor(request) {
  if (request.command === 'legacy') return { reply: `${String(request.line).split('?')[0]}:0` };
  if (request.command === 'readers') return { readers: [] };
  return {};
}

send({ event: 'hello', host: 'no-work', protocol: Number(protocol) });
let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32LE(0);
    if (buffered.length < 4 + length) break;
    const request = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
    buffered = buffered.subarray(4 + length);
    send({ id: request.id, result: resultFor(request) });
  }
});
process.stdin.on('end', () => process.exit(0));
