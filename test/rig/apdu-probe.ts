/** Runs apdu-probe.c: APDUs through the real pcscd, from a separate process, with timings. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { APDU_PROBE, buildC } from './c-build.js';

const execFileAsync = promisify(execFile);

const probeOutput = z.union([
  z.object({ protocol: z.number(), responses: z.array(z.string()), roundsUs: z.array(z.number()) }),
  z.object({ error: z.string(), code: z.string(), message: z.string() }),
]);

/** What the probe saw: the R-APDUs of the first round and the duration of each timed round. */
export interface ProbeResult {
  /** Negotiated protocol: 1 = T=0, 2 = T=1. */
  readonly protocol: number;
  readonly responses: readonly string[];
  readonly roundsUs: readonly number[];
}

/**
 * Sends `apdus` (hex) to `reader` through the rig's pcscd, then repeats them `rounds` times timed,
 * with `gapMs` idle between rounds.
 */
export async function probeApdus(
  env: { readonly PCSCLITE_CSOCK_NAME: string },
  reader: string,
  apdus: readonly string[],
  rounds = 0,
  gapMs = 0,
): Promise<ProbeResult> {
  const probe = await buildC(APDU_PROBE);
  const { stdout } = await execFileAsync(probe, [reader, String(rounds), ...apdus], {
    env: { ...process.env, ...env, APDU_PROBE_GAP_US: String(Math.round(gapMs * 1000)) },
    timeout: 15_000,
  }).catch((error: unknown) => {
    // The probe prints its PC/SC error as JSON and exits 1: keep that output.
    if (typeof error === 'object' && error !== null && 'stdout' in error && typeof error.stdout === 'string') {
      return { stdout: error.stdout };
    }
    throw error;
  });
  const parsed = probeOutput.parse(JSON.parse(stdout.trim()));
  if ('error' in parsed) throw new Error(`apdu-probe: ${parsed.error} failed: ${parsed.message} (${parsed.code})`);
  return parsed;
}
