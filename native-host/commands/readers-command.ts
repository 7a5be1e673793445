import type { ReaderService } from '../pcsc/reader-service';
import { reportFailure, type CommandOutput } from './output';

/** `nhi-card readers`: lists readers and whether each holds a card; returns the exit code. */
export async function runReadersCommand(readers: ReaderService, json: boolean, output: CommandOutput): Promise<number> {
  try {
    const list = await readers.listReaders();
    if (json) {
      output.stdout(JSON.stringify({ readers: list }));
    } else if (list.length === 0) {
      output.stdout('No reader found: is the reader plugged in?');
    } else {
      for (const reader of list) {
        output.stdout(`${reader.name}: ${reader.cardPresent ? `card present (ATR ${reader.atr ?? 'unknown'})` : 'no card'}`);
      }
    }
    return 0;
  } catch (error) {
    return reportFailure(error, json, output);
  }
}
