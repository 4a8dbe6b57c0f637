import { build } from 'esbuild';
import { REPO_ROOT } from '@pulse/backend/config';

/**
 * An npm package's browser build as one classic script exposing `exports` on `window[globalName]`, bundled as a
 * site's own bundler would (esbuild, production mode): the real SDK, unchanged, served by the test's site.
 */
export async function bundleForBrowser(exports: string, globalName: string): Promise<string> {
  const result = await build({
    stdin: { contents: exports, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/**
 * A snippet as the README and the Tracking page show it (an ES module importing the SDK), as a classic script
 * for a page where the SDK is `window[globalName]`: the import becomes a read of that global, exports plain
 * declarations. The tests run the documented code itself.
 */
export function asPageScript(snippet: string, globalName: string): string {
  return snippet.replace(/^import \{ (\w+) \} from '[^']+';$/m, `const { $1 } = window.${globalName};`).replace(/^export /gm, '');
}
