/** Waiting on real signals (sockets that accept, ports a process listens on) with bounded timeouts. */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { connect } from 'node:net';

/** Polls `probe` until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: { readonly what: string; readonly timeoutMs: number; readonly intervalMs?: number },
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}

/** Rejects with `message` if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a Unix socket accepts a connection (the connection is closed at once). */
export function unixSocketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** One TCP socket of a process: its local port and kernel state ("0A" = LISTEN, "01" = ESTABLISHED...). */
export interface TcpSocketInfo {
  readonly localPort: number;
  readonly state: string;
}

/**
 * The TCP sockets process `pid` holds, read from /proc without connecting: a probe connection
 * to a vpcd port would insert a phantom card.
 */
export async function tcpSocketsOf(pid: number): Promise<TcpSocketInfo[]> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
      if (match?.[1] !== undefined) inodes.add(match[1]);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const sockets: TcpSocketInfo[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const portHex = fields[1]?.split(':')[1];
      const state = fields[3];
      const inode = fields[9];
      if (portHex === undefined || state === undefined || inode === undefined || !inodes.has(inode)) continue;
      sockets.push({ localPort: parseInt(portHex, 16), state });
    }
  }
  return sockets;
}

/** The TCP ports process `pid` is listening on. */
export async function listeningTcpPorts(pid: number): Promise<Set<number>> {
  const sockets = await tcpSocketsOf(pid);
  return new Set(sockets.filter((socket) => socket.state === '0A').map((socket) => socket.localPort));
}

/** Whether process `pid` holds an accepted (non-listening) connection on local `port`: vpcd has a card there. */
export async function holdsConnectionOn(pid: number, port: number): Promise<boolean> {
  const sockets = await tcpSocketsOf(pid);
  return sockets.some((socket) => socket.localPort === port && socket.state !== '0A');
}
