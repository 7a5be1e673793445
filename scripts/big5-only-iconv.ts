/**
 * An esbuild plugin that leaves out of the host bundle every iconv-lite table but Big5-HKSCS's
 * (cp950 + big5-added), and its generated single-byte code pages: the host decodes the card's Big5
 * name and nothing else. The left-out tables were ~400 kB of the bundle's source, which Node keeps
 * in memory for as long as the host runs. Asking iconv-lite for another encoding then fails with
 * its usual "Encoding not recognized", or with the error below for the double-byte ones.
 */
import type { Plugin } from 'esbuild';

const UNUSED_TABLES = /[\\/]iconv-lite[\\/]encodings[\\/]tables[\\/](?:cp936|cp949|eucjp|shiftjis|gbk-added|gb18030-ranges)\.json$/;
const GENERATED_CODE_PAGES = /[\\/]iconv-lite[\\/]encodings[\\/]sbcs-data-generated\.js$/;

export const big5OnlyIconv: Plugin = {
  name: 'big5-only-iconv',
  setup(build) {
    build.onLoad({ filter: UNUSED_TABLES }, () => ({
      contents: 'throw new Error("this iconv-lite table is not in the NHI Card Bridge bundle (Big5 only)");',
      loader: 'js',
    }));
    build.onLoad({ filter: GENERATED_CODE_PAGES }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};
