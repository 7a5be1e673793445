/**
 * The NHIICC text protocol: one command line in, one reply line out, byte-for-byte as the
 * official component answers. Replies are `<Command>:<payload>` or the bare numeric code; this
 * function never rejects, whatever the line or the card does.
 */
import type { ReaderService } from '../pcsc/reader-service';
import { basicCsvBytes, basicCsvText } from './basic-csv';
import { readBasicCsvSource, readCardId } from './card-reads';
import { encryptPassword } from './encrypt-password';
import { signWithCard } from './h-sign';
import { parseLegacyCommand, type LegacyCommand } from './legacy-command';
import { toLegacyCode } from './legacy-error-codes';
import { LegacyCode } from '../protocol/nhiicc';
import { randomDigits } from './legacy-random';
import { failureReply, successReply } from './legacy-reply';
import type { SamService } from './sam-service';
import { encryptBasicBlob } from './secure-basic';

/** The official SAM service (cloudicap.nhi.gov.tw:443), re-exported for the host's settings. */
export { DEFAULT_SAM_ENDPOINT } from './sam-endpoint';

/**
 * The version GetVersion reports unless the host is configured otherwise. "0011" is what the
 * 2024 official build reports, and H_Sign embeds the page's copy of it in the data the SAM
 * service signs (`<se=20>` = version + random). A SAM server that checks the version certainly
 * accepts the current build's, while "0001" belongs to builds that predate H_SignIPAndPort, which
 * we also answer; claiming the old version would invite rejections we cannot see.
 */
export const DEFAULT_LEGACY_VERSION = '0011';

/** What handling a line needs from the host. */
export interface LegacyContext {
  /** Serialized card access. */
  readonly readers: ReaderService;
  /** The SAM service for H_Sign; H_SignIPAndPort may only name an address on its allowlist. */
  readonly sam: SamService;
  /** What GetVersion reports; normally {@link DEFAULT_LEGACY_VERSION}. */
  readonly version: string;
  /** The current time; EnCrypt and SecureGetBasic key on the local date. */
  now(): Date;
}

/** Answers one command line; always resolves with the reply text. */
export async function handleLegacyLine(line: string, context: LegacyContext): Promise<string> {
  const command = parseLegacyCommand(line);
  try {
    return await answer(command, context);
  } catch (error) {
    return failureReply(toLegacyCode(error, fallbackCode(command)));
  }
}

async function answer(command: LegacyCommand, context: LegacyContext): Promise<string> {
  switch (command.kind) {
    case 'GetVersion':
      return successReply('GetVersion', context.version);
    case 'GetRandom':
      return successReply('GetRandom', randomDigits());
    case 'GetBasic':
      return successReply('GetBasic', basicCsvText(await readBasicCsvSource(context.readers)));
    case 'SecureGetBasicWithParam': {
      const source = await readBasicCsvSource(context.readers);
      return successReply('SecureGetBasicWithParam', encryptBasicBlob(basicCsvBytes(source), context.now()));
    }
    case 'EnCrypt': {
      const cardId = await readCardId(context.readers);
      return successReply('EnCrypt', encryptPassword({ pwd: command.pwd, cardId, today: context.now() }));
    }
    case 'H_Sign':
      return successReply('H_Sign', await signWithCard(context.readers, context.sam, context.sam.endpoint, command.version + command.random));
    case 'H_SignIPAndPort': {
      // Refused (4061) here, before any connection or card access, when off the allowlist.
      const endpoint = context.sam.endpointFor({ host: command.ip, port: command.port });
      return successReply('H_SignIPAndPort', await signWithCard(context.readers, context.sam, endpoint, command.version + command.random));
    }
    case 'Invalid':
      return failureReply(command.reason === 'password-length' ? LegacyCode.PasswordLength : LegacyCode.UnknownCommand);
    case 'Unknown':
      return failureReply(LegacyCode.UnknownCommand);
  }
}

/** The code for a failure no step claimed: card access for card commands, 9999 otherwise. */
function fallbackCode(command: LegacyCommand): LegacyCode {
  switch (command.kind) {
    case 'GetBasic':
    case 'SecureGetBasicWithParam':
    case 'EnCrypt':
    case 'H_Sign':
    case 'H_SignIPAndPort':
      return LegacyCode.CardAccess;
    default:
      return LegacyCode.UnknownCommand;
  }
}
