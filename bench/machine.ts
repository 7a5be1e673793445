import { cpus, loadavg, totalmem } from 'node:os';

/** What the figures were measured on, and how busy the machine was. */
export function describeMachine(): Record<string, string | number> {
  const [load1, load5] = loadavg();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Math.round((load1 ?? 0) * 100) / 100,
    loadAverage5m: Math.round((load5 ?? 0) * 100) / 100,
  };
}
