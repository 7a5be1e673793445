/**
 * The SAM socket against real TCP peers on 127.0.0.1: a peer that floods is cut off as soon as it
 * passes the cap, even while nobody reads (as between H_Sign's reads, while the card works).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frameEnd, markerEnd } from '../../../native-host/legacy/sam-frame';
import { MAX_MESSAGE_BYTES, SamSocket, SamSocketError } from '../../../native-host/legacy/sam-socket';

let server: Server | undefined;
afterEach(async () => {
  const peer = server;
  server = undefined;
  if (peer !== undefined) await new Promise((resolve) => peer.close(resolve));
});

/** A peer that runs `serve` on each connection; resolves with its port. */
async function startPeer(serve: (socket: Socket) => void): Promise<number> {
  const peer = createServer(serve);
  server = peer;
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const address = peer.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('SamSocket', () => {
  it('cuts off a flooding peer while nobody reads, holding no more than the cap', async () => {
    let peerClosed!: () => void;
    const closedAtPeer = new Promise<void>((resolve) => (peerClosed = resolve));
    const port = await startPeer((socket) => {
      const block = Buffer.alloc(64 * 1024, 0x41);
      const flood = (): void => {
        while (socket.write(block)) {
          /* keep writing until the kernel pushes back */
        }
      };
      socket.on('drain', flood);
      socket.on('error', () => undefined);
      socket.on('close', peerClosed);
      flood();
    });
    const socket = await SamSocket.open('127.0.0.1', port, 2_000);
    // Nobody reads: the peer only stops because the client destroyed the connection.
    await closedAtPeer;
    expect(socket.closed).toBe(true);
    expect(socket.bufferedBytes).toBe(0);
    await expect(socket.read(frameEnd, 1_000)).rejects.toThrow(new SamSocketError('the SAM service sent an oversized message'));
  });

  it('accepts a message of exactly the cap, however it is split', async () => {
    const message = Buffer.concat([Buffer.alloc(MAX_MESSAGE_BYTES - 3, 0x42), Buffer.from('<E>')]);
    const port = await startPeer((socket) => {
      for (let offset = 0; offset < message.length; offset += 1000) socket.write(message.subarray(offset, offset + 1000));
    });
    const socket = await SamSocket.open('127.0.0.1', port, 2_000);
    expect(Buffer.from(await socket.read(markerEnd, 2_000)).equals(message)).toBe(true);
    expect(socket.bufferedBytes).toBe(0);
    socket.close();
  });

  it('sees a marker split across chunks', async () => {
    const port = await startPeer((socket) => {
      socket.write('04<rc=2>OK<');
      setImmediate(() => socket.write('E'));
      setTimeout(() => socket.write('>'), 20);
    });
    const socket = await SamSocket.open('127.0.0.1', port, 2_000);
    expect(Buffer.from(await socket.read(markerEnd, 2_000)).toString('latin1')).toBe('04<rc=2>OK<E>');
    socket.close();
  });
});
