/**
 * A local stand-in for the NHI SAM service (cloudicap.nhi.gov.tw): a TCP server on 127.0.0.1
 * speaking the server side of the H_Sign protocol with test keys. It answers the handshake, the
 * `77<E>` health check and steps 01..04, checks the card's mutual-authentication answer with
 * `cardAuthAnswer` (the virtual card's key), and issues signatures it can verify later.
 * Faults can be injected to drive every client error path.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { SamSimConnection, type SamSimEvent, type SamSimFault } from './sam-sim-connection';
import { verifySimulatorSignature, type SignatureInput } from './sam-sim-signature';

export type { SamSimEvent, SamSimFault, SamSimStage } from './sam-sim-connection';

/** How to start the simulator. */
export interface SamSimulatorOptions {
  /** Misbehaviour to inject; `refuse` leaves the port closed so connections are refused. */
  readonly fault?: SamSimFault | { readonly kind: 'refuse' };
  /** The 32-byte challenge to send in step 02 instead of a random one, so a strict APDU script can expect it. */
  readonly fixedChallenge?: Uint8Array;
  /** Listen on this port instead of an ephemeral one (to bring a "downed" service back where it was). */
  readonly port?: number;
}

/** A running simulator. */
export interface SamSimulator {
  readonly host: string;
  readonly port: number;
  /** What happened, per connection, in order; holds step names only, never card data. */
  readonly log: readonly SamSimEvent[];
  /** SHA-256 of the simulator's public key (DER SubjectPublicKeyInfo, hex): what NHI_CARD_SAM_KEY_SHA256 pins. */
  readonly keySha256: string;
  /** Changes the injected fault for new and running connections (undefined = behave). */
  setFault(fault: SamSimFault | undefined): void;
  /** True when `signature` is one this simulator (or any holding the test key) issued for the card and random. */
  verifySignature(input: SignatureInput & { readonly signature: string }): boolean;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** The public key PEM length the Hello layout assumes (RSA-1024 SPKI, trailing newline included). */
const SERVER_PEM_LENGTH = 0x110;

/** Starts a simulator on 127.0.0.1 with an ephemeral port. */
export async function startSamSimulator(options: SamSimulatorOptions = {}): Promise<SamSimulator> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 65_537 });
  const serverPem = publicKey.export({ type: 'spki', format: 'pem' });
  if (typeof serverPem !== 'string' || serverPem.length !== SERVER_PEM_LENGTH) throw new Error('unexpected server PEM layout');

  const log: SamSimEvent[] = [];
  const sockets = new Set<Socket>();
  const connections = new Set<SamSimConnection>();
  let fault: SamSimFault | undefined = options.fault?.kind === 'refuse' ? undefined : options.fault;
  let nextId = 1;

  const server = createServer((socket) => {
    sockets.add(socket);
    const connection = new SamSimConnection({
      id: nextId++,
      socket,
      serverPem,
      privateKey,
      log: (event) => log.push(event),
      fault: () => fault,
      challenge: () => (options.fixedChallenge === undefined ? randomBytes(32) : Buffer.from(options.fixedChallenge)),
    });
    connections.add(connection);
    socket.on('close', () => {
      sockets.delete(socket);
      connections.delete(connection);
    });
  });
  const port = await listen(server, options.port ?? 0);

  const refuse = options.fault?.kind === 'refuse';
  if (refuse) await closeServer(server);

  return {
    host: '127.0.0.1',
    port,
    log,
    setFault: (next) => {
      fault = next;
    },
    keySha256: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
    verifySignature: verifySimulatorSignature,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (!refuse) await closeServer(server);
    },
  };
}

async function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}
