import { readIdentity } from '../card/nhi-card';
import type { Identity } from '../protocol/messages';
import type { ReaderService } from '../pcsc/reader-service';
import { reportFailure, type CommandOutput } from './output';

export interface ReadOptions {
  readonly json: boolean;
  readonly reader?: string | undefined;
}

/** Reads the holder identity from the NHI card through `readers`. */
export async function readCardIdentity(readers: ReaderService, reader?: string): Promise<Identity> {
  return readers.withCard(async (session, readerName, memo) => {
    const record = await readIdentity(session, memo);
    return {
      cardNumber: record.cardNumber,
      name: record.name,
      idNumber: record.idNumber,
      birthDate: record.birthDate,
      sex: record.sex,
      issueDate: record.issueDate,
      reader: readerName,
    };
  }, { reader });
}

/** `nhi-card read`: prints the identity (JSON with --json); returns the exit code. */
export async function runReadCommand(readers: ReaderService, options: ReadOptions, output: CommandOutput): Promise<number> {
  try {
    const identity = await readCardIdentity(readers, options.reader);
    if (options.json) {
      output.stdout(JSON.stringify(identity));
    } else {
      output.stdout(
        [
          `Card number: ${identity.cardNumber}`,
          `Name:        ${identity.name}`,
          `ID number:   ${identity.idNumber}`,
          `Birth date:  ${identity.birthDate}`,
          `Sex:         ${identity.sex}`,
          `Issued:      ${identity.issueDate}`,
          `Reader:      ${identity.reader}`,
        ].join('\n'),
      );
    }
    return 0;
  } catch (error) {
    return reportFailure(error, options.json, output);
  }
}
