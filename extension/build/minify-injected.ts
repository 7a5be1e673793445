/**
 * Minifies the scripts the manifest injects into pages, and nothing else: they are parsed and run
 * in every trusted frame at document_start, so their size is paid per frame (issue 14's budget is
 * 20 kB for all of them together). The extension's own pages and the service worker stay readable.
 * crxjs builds content scripts as standalone IIFE assets; this rewrites those assets after it.
 */
import { transform } from 'esbuild';
import type { Plugin } from 'vite';

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
          output.source = (await transform(code, { minify: true, target: 'es2022', legalComments: 'none' })).code;
        }
      },
    },
  };
}
