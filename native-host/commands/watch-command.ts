import type { ReaderEvent, ReaderService } from '../pcsc/reader-service';
import { reportFailure, type CommandOutput } from './output';

const describe: Record<ReaderEvent['type'], string> = {
  'reader-added': 'reader added',
  'reader-removed': 'reader removed',
  'card-inserted': 'card inserted',
  'card-removed': 'card removed',
};

/**
 * `nhi-card watch`: prints reader and card events until `stop` resolves (SIGINT in the CLI).
 * Events carry reader names only, never card data. Returns the exit code.
 */
export async function runWatchCommand(
  readers: ReaderService,
  json: boolean,
  output: CommandOutput,
  stop: Promise<void>,
): Promise<number> {
  const print = (event: ReaderEvent): void => {
    output.stdout(json ? JSON.stringify({ event: event.type, reader: event.reader }) : `${describe[event.type]}: ${event.reader}`);
  };
  let initial;
  try {
    initial = await readers.listReaders();
  } catch (error) {
    return reportFailure(error, json, output);
  }
  // Subscribing in the same tick as the snapshot: PC/SC events arrive as later macrotasks, so none
  // is lost or printed twice. The starting state is shown as events too.
  const unsubscribe = readers.onEvent(print);
  for (const reader of initial) {
    print({ type: 'reader-added', reader: reader.name });
    if (reader.cardPresent) print({ type: 'card-inserted', reader: reader.name });
  }
  await stop;
  unsubscribe();
  return 0;
}
