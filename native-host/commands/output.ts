import { hostWireError, type WireError } from '../protocol/nhi-card-error';

/** Where command output goes; injected so tests can capture it. */
export interface CommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Reports a failure the way every command does: `{"error":{code,message}}` on stdout with --json,
 * a plain sentence on stderr otherwise. Returns the process exit code.
 */
export function reportFailure(error: unknown, json: boolean, output: CommandOutput): number {
  const serialized: WireError = hostWireError(error);
  if (json) output.stdout(JSON.stringify({ error: serialized }));
  else output.stderr(`nhi-card: ${serialized.message} [${serialized.code}]`);
  return 1;
}
