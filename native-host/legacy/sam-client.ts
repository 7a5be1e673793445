/**
 * The client side of the NHI SAM service (H_Sign): connect, handshake, then either the health
 * check or the card authentication that yields the 256-character signature. Every failure is a
 * LegacyFailure carrying the numeric code of the step that failed.
 */
import { atStep, LegacyFailure } from './legacy-error-codes';
import { H_SIGN_SIGNATURE_LENGTH, LegacyCode } from '../protocol/nhiicc';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS, type SamEndpoint } from './sam-endpoint';
import { asciiBytes, decodeFrame, encodeFrame, endsWithMarker, END_MARKER, frameEnd, markerEnd, startsWithBytes } from './sam-frame';
import { performHandshake } from './sam-handshake';
import { SamSocket } from './sam-socket';
import { concatBytes } from '../card/bytes';

/** The card operations the exchange needs; NhiCard provides them (the applet already selected). */
export interface SamCard {
  readCardId(): Promise<Uint8Array>;
  getChallenge(): Promise<Uint8Array>;
  mutualAuthenticate(challenge32: Uint8Array): Promise<Uint8Array>;
}

/** Characters of `<se=20>`: the page's 4-character version and 16-digit random. */
export const SIGN_DATA_LENGTH = 20;

const HEALTH_REQUEST = asciiBytes('77<E>');
const HEALTHY_ANSWER = asciiBytes('04<rc=2>OK<E>');
const CHALLENGE_TAG = asciiBytes('02<au=32>');
const CHALLENGE_LENGTH = 32;
const SIGNATURE_TAG = asciiBytes('04<rc=2>OK<si=256>');
const RESULT_TAG = asciiBytes('04<rc=2>');
const SIGNATURE_TEXT = /^[\x21-\x7e]{256}$/u;

/** One handshaken connection to the SAM service. */
export class SamSession {
  private constructor(
    private readonly socket: SamSocket,
    private readonly sessionKey: Uint8Array,
    private readonly readTimeoutMs: number,
  ) {}

  /**
   * Connects and runs the handshake. Every failure up to a completed handshake is 4061, whatever
   * went wrong (refused, timed out, not a SAM service, wrong key): a page learns only "no SAM
   * service there", never whether something listens. The step's own code stays in the cause.
   */
  static async open(endpoint: SamEndpoint): Promise<SamSession> {
    const connectTimeoutMs = endpoint.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const readTimeoutMs = endpoint.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    let socket: SamSocket | undefined;
    try {
      socket = await SamSocket.open(endpoint.host, endpoint.port, connectTimeoutMs);
      return new SamSession(socket, await performHandshake(socket, readTimeoutMs, endpoint.serverKeySha256 ?? []), readTimeoutMs);
    } catch (error) {
      socket?.close();
      throw new LegacyFailure(LegacyCode.SamUnreachable, 'no SAM session could be opened', { cause: error });
    }
  }

  /** The health check: `77<E>` answered exactly `04<rc=2>OK<E>`, both unframed. */
  async checkHealth(): Promise<void> {
    await atStep(LegacyCode.SamSend, 'sending the health check', () => this.socket.write(HEALTH_REQUEST));
    const answer = await atStep(LegacyCode.SamReceive, 'receiving the health answer', () =>
      this.socket.read(markerEnd, this.readTimeoutMs),
    );
    if (!sameBytes(answer, HEALTHY_ANSWER)) throw new LegacyFailure(LegacyCode.SamCheck, 'the SAM service reports it is not healthy');
  }

  /**
   * Authenticates the card to the SAM service and returns the signature over `signData`
   * (the page's version + random, 20 characters).
   */
  async authenticateCard(card: SamCard, signData: string): Promise<string> {
    if (signData.length !== SIGN_DATA_LENGTH) throw new LegacyFailure(LegacyCode.UnknownCommand, 'the data to sign must be 20 characters');
    const cardId = await atStep(LegacyCode.CardIdRead, 'reading the card id', () => card.readCardId());
    const cardChallenge = await atStep(LegacyCode.CardChallenge, 'reading the card challenge', () => card.getChallenge());

    const request = concatBytes(asciiBytes(`01<id=${cardId.length}>`), cardId, asciiBytes(`<rn=${cardChallenge.length}>`), cardChallenge, END_MARKER);
    await atStep(LegacyCode.SamSend, 'sending the card id', () => this.socket.write(encodeFrame(this.sessionKey, request)));

    const challengeFrame = await atStep(LegacyCode.SamCheck, 'receiving the SAM challenge', () => this.socket.read(frameEnd, this.readTimeoutMs));
    const samChallenge = this.expectFrame(challengeFrame, CHALLENGE_TAG, CHALLENGE_LENGTH, LegacyCode.SamCheck, 'the SAM challenge');

    const answer = await atStep(LegacyCode.CardMutualAuth, 'the card mutual authentication', () => card.mutualAuthenticate(samChallenge));
    const reply = concatBytes(asciiBytes(`03<au=${answer.length}>`), answer, asciiBytes(`<se=${SIGN_DATA_LENGTH}>`), asciiBytes(signData), END_MARKER);
    await atStep(LegacyCode.SamSendAnswer, 'sending the card answer', () => this.socket.write(encodeFrame(this.sessionKey, reply)));

    const signatureFrame = await atStep(LegacyCode.SamSignature, 'receiving the signature', () => this.socket.read(frameEnd, this.readTimeoutMs));
    const result = decodeFrame(this.sessionKey, signatureFrame);
    if (result !== undefined && startsWithBytes(result, RESULT_TAG) && !startsWithBytes(result, SIGNATURE_TAG)) {
      // A well-formed result other than OK: the service did not accept the card's answer.
      throw new LegacyFailure(LegacyCode.CardMutualAuth, 'the SAM service rejected the card');
    }
    const signature = Buffer.from(this.expectFrame(signatureFrame, SIGNATURE_TAG, H_SIGN_SIGNATURE_LENGTH, LegacyCode.SamSignature, 'the signature')).toString('latin1');
    if (!SIGNATURE_TEXT.test(signature)) throw new LegacyFailure(LegacyCode.SamSignature, 'the signature is not printable text');
    return signature;
  }

  /** Closes the connection. */
  close(): void {
    this.socket.close();
  }

  /** Decrypts a frame that must be exactly `tag` + `length` bytes + `<E>`, and returns those bytes. */
  private expectFrame(frame: Uint8Array, tag: Uint8Array, length: number, code: LegacyCode, what: string): Uint8Array {
    const payload = decodeFrame(this.sessionKey, frame);
    if (payload?.length !== tag.length + length + END_MARKER.length || !startsWithBytes(payload, tag) || !endsWithMarker(payload)) {
      throw new LegacyFailure(code, `${what} is malformed`);
    }
    return payload.slice(tag.length, tag.length + length);
  }
}

/** Runs `use` on a fresh session and always closes it. */
export async function withSamSession<T>(endpoint: SamEndpoint, use: (session: SamSession) => Promise<T>): Promise<T> {
  const session = await SamSession.open(endpoint);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

/** The health check on a connection of its own, as the official component does before every H_Sign. */
export async function checkSamHealth(endpoint: SamEndpoint): Promise<void> {
  await withSamSession(endpoint, (session) => session.checkHealth());
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
