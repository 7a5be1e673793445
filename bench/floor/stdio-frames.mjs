// Native messaging frames on stdin/stdout for the bench's stand-in hosts: a 32-bit little-endian
// length, then that many bytes. The process exits when the browser closes stdin.
import { Buffer } from 'node:buffer';
import process from 'node:process';

/** Calls `onFrame` with each whole frame read from stdin, its length header included. */
export function onStdinFrames(onFrame) {
  let buffered = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const length = buffered.readUInt32LE(0);
      if (buffered.length < 4 + length) break;
      onFrame(buffered.subarray(0, 4 + length));
      buffered = buffered.subarray(4 + length);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

/** Writes `message` as one JSON frame to stdout. */
export function writeJsonFrame(message) {
  const body = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  process.stdout.write(Buffer.concat([header, body]));
}
