import { allowedCallers } from '../host/caller';
import { runHost } from '../host/run-host';
import { handleLegacyLine, type LegacyContext } from '../legacy/legacy-handler';
import { SamService } from '../legacy/sam-service';
import { createPcscReaderService } from '../pcsc/pcsc-reader-service';
import { HOST_VERSION } from '../version';
import { hostSettingsFromEnv } from './host-settings';

/**
 * Native messaging host mode, entered when a browser starts us. stdout carries frames only, so
 * every diagnostic goes to stderr (the browser's log).
 */
export async function runHostCommand(callerId: string | null, env: NodeJS.ProcessEnv): Promise<number> {
  const log = (message: string): void => {
    process.stderr.write(`nhi-card host: ${message}\n`);
  };
  const settings = hostSettingsFromEnv(env);
  const readers = createPcscReaderService({ log, exchangeTimeoutMs: settings.exchangeTimeoutMs });
  const legacyContext: LegacyContext = {
    readers,
    sam: new SamService(settings.sam),
    version: settings.legacyVersion,
    now: () => new Date(),
  };
  return runHost({
    readers,
    legacy: (line) => handleLegacyLine(line, legacyContext),
    input: process.stdin,
    output: process.stdout,
    version: HOST_VERSION,
    callerId,
    allowedCallers: allowedCallers(env),
    log,
  });
}
