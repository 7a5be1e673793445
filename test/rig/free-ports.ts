/** Finding consecutive free TCP ports for vpcd, which listens on PORT and PORT+1 on all interfaces. */
import { createServer } from 'node:net';

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => {
        resolve(bound);
      });
    });
  });
}

/**
 * Returns a base port such that base .. base+count-1 were all free a moment ago. Another
 * process may still take one before vpcd binds it; the rig detects that and retries.
 */
export async function findFreePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await tryListen(0);
    if (base === undefined || base + count - 1 > 65535) continue;
    let allFree = true;
    for (let offset = 1; offset < count && allFree; offset++) {
      allFree = (await tryListen(base + offset)) !== undefined;
    }
    if (allFree) return base;
  }
  throw new Error(`no run of ${count} free TCP ports found`);
}
