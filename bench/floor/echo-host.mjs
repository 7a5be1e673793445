// A native messaging host that answers each frame with the same frame, at once: the floor of the
// background -> native host -> background hop. No parsing beyond the length header.
import { Buffer } from 'node:buffer';
import process from 'node:process';

let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32LE(0);
    if (buffered.length < 4 + length) break;
    process.stdout.write(buffered.subarray(0, 4 + length));
    buffered = buffered.subarray(4 + length);
  }
});
process.stdin.on('end', () => process.exit(0));
