/**
 * One client connection to the SAM simulator: a small state machine over the byte stream.
 *   hello     -> expects the LKEY-framed `Hello <pem>`, answers with our PEM and encrypted nonce
 *   nonce     -> expects ` <len> <rsa block><E>`, derives the session key
 *   ready     -> `77<E>` (health) or frame 01 (card id + card challenge) -> frame 02 (our challenge)
 *   answer    -> frame 03 (card answer + page random) -> frame 04 (OK + signature, or NG)
 */
import { createPublicKey, publicEncrypt, randomBytes, constants, type KeyObject } from 'node:crypto';
import type { Socket } from 'node:net';
import { cardAuthAnswer } from '../card-auth';
import { END, frame, isFrame, rsaDecrypt, SIM_LKEY, unframe } from './sam-sim-crypto';
import { simulatorSignature } from './sam-sim-signature';

/** Where in the exchange a fault strikes. */
export type SamSimStage = 'hello' | 'health' | 'challenge' | 'signature';

/** Injected misbehaviour. */
export type SamSimFault =
  /** Answer the stage with 16 random bytes + `<E>` (a frame that does not decrypt to anything valid). */
  | { readonly kind: 'bad-frame'; readonly at: SamSimStage }
  /** Never answer the stage (the client must time out). */
  | { readonly kind: 'stall'; readonly at: SamSimStage }
  /** Close the connection instead of answering the stage. */
  | { readonly kind: 'close'; readonly at: SamSimStage }
  /** Refuse the card: answer step 03 with `04<rc=2>NG` whatever the card said. */
  | { readonly kind: 'reject-card' }
  /** Answer the health check with something other than OK. */
  | { readonly kind: 'unhealthy' }
  /**
   * Once the session key is agreed on connection number `connection` (H_Sign's second, the card
   * authentication, is 2), send junk as fast as the client takes it, without waiting for a request:
   * it arrives while the client's card steps run and nothing reads.
   */
  | { readonly kind: 'flood'; readonly connection: number };

/** One log line. */
export interface SamSimEvent {
  readonly connection: number;
  readonly event:
    | 'connected'
    | 'hello'
    | 'session-key'
    | 'health'
    | 'card-id'
    | 'card-accepted'
    | 'card-rejected'
    | 'signed'
    | 'fault'
    | 'protocol-error';
  /** The stage of a fault or protocol error; never card data. */
  readonly detail?: string;
}

/** What a connection needs from the simulator. */
export interface SamSimConnectionSetup {
  readonly id: number;
  readonly socket: Socket;
  readonly serverPem: string;
  readonly privateKey: KeyObject;
  readonly log: (event: SamSimEvent) => void;
  readonly fault: () => SamSimFault | undefined;
  /** The 32-byte challenge of step 02. */
  readonly challenge: () => Buffer;
}

type State = 'hello' | 'nonce' | 'ready' | 'answer' | 'done';

const MAX_BUFFER = 64 * 1024;
const HEALTH_REQUEST = Buffer.from('77<E>', 'latin1');
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The server side of one connection. */
export class SamSimConnection {
  private state: State = 'hello';
  private buffer: Buffer = Buffer.alloc(0);
  private clientKey: KeyObject | undefined;
  private serverNonce: Buffer = Buffer.alloc(0);
  private sessionKey: Buffer = Buffer.alloc(0);
  private cardId: Buffer = Buffer.alloc(0);
  private challenge: Buffer = Buffer.alloc(0);

  constructor(private readonly setup: SamSimConnectionSetup) {
    setup.log({ connection: setup.id, event: 'connected' });
    setup.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (this.buffer.length > MAX_BUFFER) this.protocolError('oversized');
      else this.process();
    });
    setup.socket.on('error', () => undefined);
  }

  private process(): void {
    switch (this.state) {
      case 'hello':
        if (isFrame(this.buffer)) this.onHello(this.take());
        return;
      case 'nonce':
        this.onNonceBytes();
        return;
      case 'ready':
        if (this.buffer.equals(HEALTH_REQUEST)) {
          this.take();
          this.onHealth();
        } else if (isFrame(this.buffer)) this.onCardId(this.take());
        return;
      case 'answer':
        if (isFrame(this.buffer)) this.onCardAnswer(this.take());
        return;
      case 'done':
        return;
    }
  }

  private onHello(data: Buffer): void {
    const hello = unframe(SIM_LKEY, data)?.toString('latin1');
    if (hello?.startsWith('Hello -----BEGIN PUBLIC KEY-----') !== true) {
      this.protocolError('hello');
      return;
    }
    try {
      this.clientKey = createPublicKey(hello.slice('Hello '.length));
    } catch {
      this.protocolError('hello');
      return;
    }
    this.log('hello');
    if (this.faultStrikes('hello')) return;
    this.serverNonce = randomBytes(16);
    const encrypted = publicEncrypt({ key: this.clientKey, padding: constants.RSA_PKCS1_PADDING }, this.serverNonce);
    const payload = Buffer.concat([ascii(`Hello ${this.setup.serverPem} ${encrypted.length} `), encrypted, END]);
    this.state = 'nonce';
    this.send(frame(SIM_LKEY, payload));
  }

  /** ` <decimal length> <length bytes><E>`, unframed; waits until all of it has arrived. */
  private onNonceBytes(): void {
    const header = /^ (\d{1,4}) /u.exec(this.buffer.subarray(0, 6).toString('latin1'));
    if (header?.[1] === undefined) {
      if (this.buffer.length >= 6) this.protocolError('nonce');
      return;
    }
    const length = Number(header[1]);
    const start = header[0].length;
    if (this.buffer.length < start + length + END.length) return;
    // The client sends its next message without waiting for an answer, so take only this one.
    const message = this.take(start + length + END.length);
    const clientNonce = rsaDecrypt(this.setup.privateKey, message.subarray(start, start + length));
    if (clientNonce === undefined || !message.subarray(start + length).equals(END)) {
      this.protocolError('nonce');
      return;
    }
    this.sessionKey = Buffer.concat([clientNonce, this.serverNonce]).subarray(0, 24);
    this.state = 'ready';
    this.log('session-key');
    const fault = this.setup.fault();
    if (fault?.kind === 'flood' && fault.connection === this.setup.id) {
      this.flood();
      return;
    }
    if (this.buffer.length > 0) this.process();
  }

  private onHealth(): void {
    this.log('health');
    if (this.faultStrikes('health')) return;
    this.state = 'done';
    this.send(ascii(this.setup.fault()?.kind === 'unhealthy' ? '04<rc=2>NG<E>' : '04<rc=2>OK<E>'));
  }

  private onCardId(data: Buffer): void {
    const message = unframe(this.sessionKey, data);
    // 01<id=12>{12}<rn=8>{8}<E>
    if (message?.length !== 9 + 12 + 6 + 8 + 3 || message.toString('latin1', 0, 9) !== '01<id=12>' || message.toString('latin1', 21, 27) !== '<rn=8>' || !message.subarray(-3).equals(END)) {
      this.protocolError('card-id');
      return;
    }
    this.cardId = Buffer.from(message.subarray(9, 21));
    this.log('card-id');
    if (this.faultStrikes('challenge')) return;
    this.challenge = this.setup.challenge();
    this.state = 'answer';
    this.send(frame(this.sessionKey, Buffer.concat([ascii('02<au=32>'), this.challenge, END])));
  }

  private onCardAnswer(data: Buffer): void {
    const message = unframe(this.sessionKey, data);
    // 03<au=16>{16}<se=20>{20}<E>
    if (message?.length !== 9 + 16 + 7 + 20 + 3 || message.toString('latin1', 0, 9) !== '03<au=16>' || message.toString('latin1', 25, 32) !== '<se=20>' || !message.subarray(-3).equals(END)) {
      this.protocolError('card-answer');
      return;
    }
    if (this.faultStrikes('signature')) return;
    this.state = 'done';
    const answer = message.subarray(9, 25);
    const random = message.toString('latin1', 32, 52);
    const accepted = this.setup.fault()?.kind !== 'reject-card' && Buffer.from(cardAuthAnswer(this.cardId, this.challenge)).equals(answer);
    if (!accepted) {
      this.log('card-rejected');
      this.send(frame(this.sessionKey, ascii('04<rc=2>NG<E>')));
      return;
    }
    this.log('card-accepted');
    const signature = simulatorSignature({ cardId: this.cardId, random });
    this.send(frame(this.sessionKey, Buffer.concat([ascii('04<rc=2>OK<si=256>'), ascii(signature), END])));
    this.log('signed');
  }

  /** Applies a stage fault, if one is set for `stage`; true when it replaced the normal answer. */
  private faultStrikes(stage: SamSimStage): boolean {
    const fault = this.setup.fault();
    if (fault === undefined || !('at' in fault) || fault.at !== stage) return false;
    this.log('fault', `${fault.kind}@${stage}`);
    this.state = 'done';
    if (fault.kind === 'close') this.setup.socket.destroy();
    else if (fault.kind === 'bad-frame') this.send(Buffer.concat([randomBytes(16), END]));
    // 'stall': say nothing; the connection stays open until the client gives up.
    return true;
  }

  /** Junk until the client closes the connection, paced by the socket's back-pressure. */
  private flood(): void {
    this.log('fault', 'flood');
    this.state = 'done';
    const socket = this.setup.socket;
    const block = Buffer.alloc(64 * 1024, 0x5a);
    const write = (): void => {
      while (!socket.destroyed && socket.write(block)) {
        /* until the kernel pushes back */
      }
    };
    socket.on('drain', write);
    write();
  }

  private protocolError(stage: string): void {
    this.log('protocol-error', stage);
    this.state = 'done';
    this.setup.socket.destroy();
  }

  /** Removes and returns the first `length` bytes received (all of them by default). */
  private take(length = this.buffer.length): Buffer {
    const taken = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return taken;
  }

  private send(bytes: Buffer): void {
    this.setup.socket.write(bytes);
  }

  private log(event: SamSimEvent['event'], detail?: string): void {
    this.setup.log(detail === undefined ? { connection: this.setup.id, event } : { connection: this.setup.id, event, detail });
  }
}
