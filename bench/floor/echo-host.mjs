// A native messaging host that answers each frame with the same frame, at once: the floor of the
// background -> native host -> background hop. No parsing beyond the length header.
import process from 'node:process';
import { onStdinFrames } from './stdio-frames.mjs';

onStdinFrames((frame) => process.stdout.write(frame));
