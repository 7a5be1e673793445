import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { big5OnlyIconv } from '../../../scripts/big5-only-iconv';

const root = join(import.meta.dirname, '..', '..', '..');

/** The name decoder and iconv-lite, bundled the way the host bundle is, with and without the plugin. */
async function bundleDecoder(outfile: string, withPlugin: boolean): Promise<string> {
  const entry = `export { decodeBig5Name } from ${JSON.stringify(join(root, 'native-host', 'card', 'big5-text'))};\nexport { default as iconv } from 'iconv-lite';\n`;
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: true,
    plugins: withPlugin ? [big5OnlyIconv] : [],
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  return outfile;
}

interface Bundled {
  decodeBig5Name(field: Uint8Array): string;
  iconv: { decode(bytes: Uint8Array, encoding: string): string };
}

describe('big5OnlyIconv', () => {
  let directory = '';
  let lean: Bundled;
  let leanBytes = 0;
  let fullBytes = 0;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'big5-only-'));
    const require = createRequire(import.meta.url);
    const leanFile = await bundleDecoder(join(directory, 'lean.cjs'), true);
    const fullFile = await bundleDecoder(join(directory, 'full.cjs'), false);
    lean = require(leanFile) as Bundled;
    leanBytes = statSync(leanFile).size;
    fullBytes = statSync(fullFile).size;
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('still decodes Big5, HKSCS and ETEN characters in the bundle', () => {
    // 陳 小 明, HKSCS 8840 (U+31C0), the user-defined C6A1 (U+2460), ETEN 碁 (F9D6).
    const field = Uint8Array.from([0xb3, 0xaf, 0xa4, 0x70, 0xa9, 0xfa, 0x88, 0x40, 0xc6, 0xa1, 0xf9, 0xd6, 0x00]);
    expect(lean.decodeBig5Name(field)).toBe('陳小明\u31c0\u2460碁');
  });

  it('leaves the other double-byte tables and the generated code pages out', () => {
    expect(() => lean.iconv.decode(Uint8Array.from([0x82, 0xa0]), 'shiftjis')).toThrow(/not in the NHI Card Bridge bundle/);
    expect(() => lean.iconv.decode(Uint8Array.from([0x41]), 'cp1252')).toThrow(/Encoding not recognized/);
    expect(leanBytes).toBeLessThan(fullBytes / 2);
  });
});
