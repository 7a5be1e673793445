/**
 * The NHIICC wire vocabulary, defined once for the host, the extension and the page world: the
 * command names pages send and the numeric codes they get back. No imports, so the page world can
 * take the few values it needs without pulling in anything else.
 */

/** The command names pages send and that prefix a successful reply (`GetBasic:...`). */
export const LEGACY_COMMAND_NAMES = ['GetVersion', 'GetBasic', 'GetRandom', 'H_Sign', 'H_SignIPAndPort', 'EnCrypt', 'SecureGetBasicWithParam'] as const;

export type LegacyCommandName = (typeof LEGACY_COMMAND_NAMES)[number];

/** Characters of the signature H_Sign replies with; pages treat any other length as a failure. */
export const H_SIGN_SIGNATURE_LENGTH = 256;

/** The NHI's own SAM service, which H_Sign authenticates the card with (plain TCP, whatever the port suggests). */
export const OFFICIAL_SAM_SERVICE = { host: 'cloudicap.nhi.gov.tw', port: 443 } as const;

// The codes the page world answers itself stand alone too, so it can take just those.
/** Unknown command, or a command whose arguments are malformed. */
export const UNKNOWN_COMMAND_CODE = 9999;
/** No card answered the NHI applet SELECT. */
export const NO_NHI_CARD_CODE = 7004;
/** The signature was missing or malformed. */
export const SAM_SIGNATURE_CODE = 8008;
/** The basic-data record could not be read. */
export const BASIC_DATA_CODE = 8011;

/**
 * Every numeric code the legacy edge replies with; each one is produced somewhere in native-host/legacy/
 * (the extension answers 8013 and 9999 itself for lines it stops).
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
  NoNhiCard: NO_NHI_CARD_CODE,
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
  SamSignature: SAM_SIGNATURE_CODE,
  /** EnCrypt's password is not 6..12 ASCII characters. */
  PasswordLength: 8009,
  /** The HC card data (termination flag) could not be read. */
  HcData: 8010,
  BasicData: BASIC_DATA_CODE,
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
  UnknownCommand: UNKNOWN_COMMAND_CODE,
} as const;

export type LegacyCode = (typeof LegacyCode)[keyof typeof LegacyCode];
