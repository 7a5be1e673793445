/**
 * Builds the extension for one browser per mode: `vite build --mode chrome` -> dist/chrome,
 * `vite build --mode firefox` -> dist/firefox. The manifests are derived from manifest.json by
 * extension/build/manifest-for.ts; content scripts are standalone IIFE builds (`*.iife.ts`), so
 * they run synchronously at document_start instead of through crxjs's async loader, and they alone
 * are minified (extension/build/minify-injected.ts): every trusted frame pays for their size.
 */
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { defineConfig, type Plugin } from 'vite';
import packageJson from './package.json' with { type: 'json' };
import sourceManifest from './manifest.json' with { type: 'json' };
import { manifestFor, type BuildTarget } from './extension/build/manifest-for';
import { LOOPBACK_RULESET_PATH, loopbackBlockRules } from './extension/shared/loopback-block-rules';
import { injectedScriptFiles, minifyInjectedScripts } from './extension/build/minify-injected';
import { BUILT_IN_ORIGINS } from './extension/shared/trusted-origins';

function targetOf(mode: string): BuildTarget {
  if (mode === 'chrome' || mode === 'firefox') return mode;
  throw new Error(`unknown build mode "${mode}": use --mode chrome or --mode firefox`);
}

/** Writes the loopback block ruleset the manifest names, before crxjs looks for it. */
function loopbackRuleset(): Plugin {
  return {
    name: 'nhi-loopback-ruleset',
    generateBundle: {
      order: 'pre',
      handler() {
        const rules = loopbackBlockRules(BUILT_IN_ORIGINS.map((entry) => entry.origin));
        this.emitFile({ type: 'asset', fileName: LOOPBACK_RULESET_PATH, source: `${JSON.stringify(rules, null, 2)}\n` });
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  const target = targetOf(mode);
  return {
    publicDir: 'extension/public',
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: 'es2022',
      // Readable output for the extension's own pages and service worker; the scripts injected
      // into pages are minified by the plugin below (AMO reviewers rebuild from the source zip).
      minify: false,
      sourcemap: false,
      // The consent and welcome pages are opened by windows.create / tabs.create, so no manifest entry names them.
      rolldownOptions: { input: { consent: 'extension/ui/consent.html', welcome: 'extension/ui/welcome.html' } },
    },
    plugins: [loopbackRuleset(), minifyInjectedScripts(injectedScriptFiles(sourceManifest.content_scripts)), crx({ manifest: manifestFor(target, sourceManifest, packageJson.version) as unknown as ManifestV3Export, browser: target })],
  };
});
