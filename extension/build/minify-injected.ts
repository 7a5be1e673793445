/**
 * Minifies the scripts the manifest injects into pages, and nothing else: they are parsed and run
 * in every trusted frame at document_start, so their size is paid per frame (issue 14's budget is
 * 20 kB for all of them together). The extension's own pages and the service worker stay readable.
 * crxjs builds content scripts as standalone IIFE assets; this rewrites those assets after it.
 */
import { minify } from 'terser';
import type { Plugin } from 'vite';

/**
 * Terser, three compress passes, only its safe transforms: ~600 bytes (3 %) smaller than esbuild's
 * minifier on these two files. Not `pure_getters` or `unsafe*`: the shims read accessors of the
 * page's objects whose side effects matter.
 */
const TERSER_OPTIONS = { ecma: 2020, compress: { passes: 3 }, mangle: true, format: { comments: false } } as const;

/** The built file of each script the manifest injects (crxjs writes `x.iife.ts` as `x.iife.js`). */
export function injectedScriptFiles(contentScripts: readonly { readonly js?: readonly string[] }[]): string[] {
  return contentScripts.flatMap((script) => script.js ?? []).map((file) => file.replace(/\.ts$/, '.js'));
}

/** The vite plugin; fails the build when one of `files` was not emitted. */
export function minifyInjectedScripts(files: readonly string[]): Plugin {
  return {
    name: 'nhi-minify-injected-scripts',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        for (const fileName of files) {
          const output = bundle[fileName];
          if (output?.type !== 'asset') {
            this.error(`the injected script ${fileName} was not built`);
          }
          const code = typeof output.source === 'string' ? output.source : new TextDecoder().decode(output.source);
          const minified = (await minify(code, TERSER_OPTIONS)).code;
          if (minified === undefined) this.error(`terser gave no code for ${fileName}`);
          output.source = minified;
        }
      },
    },
  };
}
