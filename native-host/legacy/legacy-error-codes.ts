/**
 * The numeric NHIICC error codes pages expect, and the one mapping from our string ErrorCode
 * (plus the legacy-only failures: SAM exchange, password length) onto them. The numbers are an
 * interoperability fact of the legacy edge; nothing inside the host reasons about them.
 */
import { BridgeError } from '../protocol/bridge-error';
import { ErrorCode } from '../protocol/error-codes';

/**
 * Every numeric code this edge replies with; each one is produced somewhere in native-host/legacy/.
 * The handshake codes 8300-8306 are the exception: they name the failing step inside the host, and
 * SamSession.open answers the page 4061 for all of them (see SamUnreachable).
 */
export const LegacyCode = {
  /**
   * No SAM session: the endpoint is not allowed, the connection failed or timed out, the handshake
   * failed, or too many H_Sign requests wait. One code for all, so a page cannot tell them apart.
   */
  SamUnreachable: 4061,
  /** PC/SC is unavailable: no resource manager. */
  PcscUnavailable: 7001,
  /** No reader could be listed. */
  NoReader: 7002,
  /** A reader exists but cannot be used (named reader missing, or held by another program). */
  ReaderInaccessible: 7003,
  /** No card answered the NHI applet SELECT. */
  NoNhiCard: 7004,
  /** The card did not return its card id. */
  CardIdRead: 8001,
  /** The card did not return a GET CHALLENGE answer. */
  CardChallenge: 8002,
  /** Sending to the SAM service failed (the card id request or the health check). */
  SamSend: 8003,
  /** The health check answer did not arrive. */
  SamReceive: 8004,
  /** The SAM challenge (or health answer) was missing or malformed. */
  SamCheck: 8005,
  /** The card failed mutual authentication (at the card, or the SAM refused its answer). */
  CardMutualAuth: 8006,
  /** Sending the card's answer to the SAM service failed. */
  SamSendAnswer: 8007,
  /** The signature was missing or malformed. */
  SamSignature: 8008,
  /** EnCrypt's password is not 6..12 ASCII characters. */
  PasswordLength: 8009,
  /** The HC card data (termination flag) could not be read. */
  HcData: 8010,
  /** The basic-data record could not be read. */
  BasicData: 8011,
  /** The card cannot be accessed: removed, timed out, or a PC/SC failure during the exchange. */
  CardAccess: 8013,
  /** Handshake: our RSA key pair could not be generated. */
  HandshakeKeyGeneration: 8300,
  /** Handshake: our public key could not be exported as PEM. */
  HandshakeKeyExport: 8301,
  /** Handshake: the server's Hello did not decrypt or is not a Hello of the expected size. */
  HandshakeMalformedHello: 8302,
  /** Handshake: the server's public key is unusable, so our nonce cannot be encrypted to it. */
  HandshakeServerKey: 8303,
  /** Handshake: sending our nonce failed. */
  HandshakeSendNonce: 8304,
  /** Handshake: the server's Hello did not arrive, or its nonce did not decrypt with our key. */
  HandshakeReceive: 8305,
  /** Handshake: sending our Hello failed. */
  HandshakeSendHello: 8306,
  /** Unknown command, or a command whose arguments are malformed. */
  UnknownCommand: 9999,
} as const;

export type LegacyCode = (typeof LegacyCode)[keyof typeof LegacyCode];

/** A failure at the legacy edge that already knows its numeric code. Messages never hold card data. */
export class LegacyFailure extends Error {
  override readonly name = 'LegacyFailure';

  constructor(
    readonly code: LegacyCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Where each internal code lands. `step` means "whatever step was running": a card that refuses or
 * returns garbage while we read its basic data is 8011, while reading its id 8001, and so on.
 * Typed as a full Record so a new ErrorCode cannot be forgotten here.
 */
const BRIDGE_TO_LEGACY: Readonly<Record<ErrorCode, LegacyCode | 'step'>> = {
  [ErrorCode.PcscUnavailable]: LegacyCode.PcscUnavailable,
  [ErrorCode.NoReader]: LegacyCode.NoReader,
  [ErrorCode.ReaderNotFound]: LegacyCode.ReaderInaccessible,
  [ErrorCode.ReaderBusy]: LegacyCode.ReaderInaccessible,
  [ErrorCode.NoCard]: LegacyCode.NoNhiCard,
  [ErrorCode.NotNhiCard]: LegacyCode.NoNhiCard,
  [ErrorCode.CardRemoved]: LegacyCode.CardAccess,
  [ErrorCode.CardTimeout]: LegacyCode.CardAccess,
  [ErrorCode.PcscError]: LegacyCode.CardAccess,
  [ErrorCode.CardError]: 'step',
  [ErrorCode.InvalidCardData]: 'step',
  [ErrorCode.InvalidRequest]: 'step',
  [ErrorCode.UnknownCommand]: 'step',
  [ErrorCode.FrameTooLarge]: 'step',
  [ErrorCode.ForbiddenCaller]: 'step',
  [ErrorCode.Internal]: 'step',
};

/** The numeric code for anything thrown while `stepCode`'s step was running. */
export function toLegacyCode(error: unknown, stepCode: LegacyCode): LegacyCode {
  if (error instanceof LegacyFailure) return error.code;
  if (error instanceof BridgeError) {
    const mapped = BRIDGE_TO_LEGACY[error.code];
    return mapped === 'step' ? stepCode : mapped;
  }
  return stepCode;
}

/**
 * Runs one step and re-throws its failure as a LegacyFailure carrying the step's code (or the
 * more specific code of a reader/transport failure). NOT_NHI_CARD passes through untouched so
 * `ReaderService.withCard` can still move on to the next reader.
 */
export async function atStep<T>(stepCode: LegacyCode, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BridgeError && error.code === ErrorCode.NotNhiCard) throw error;
    if (error instanceof LegacyFailure) throw error;
    throw new LegacyFailure(toLegacyCode(error, stepCode), `${what} failed`, { cause: error });
  }
}
