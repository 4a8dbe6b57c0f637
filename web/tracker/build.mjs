// Builds the browser tracker (tracker/pulse.ts) into dist/pulse.js, which the server answers at /pulse.js.
// Run after `vite build`, which empties dist/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const trackerDir = dirname(fileURLToPath(import.meta.url));
const outfile = join(trackerDir, '..', 'dist', 'pulse.js');

await build({
  entryPoints: [join(trackerDir, 'pulse.ts')],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  // Browsers from 2020 on (Safari 13.1, Chrome 80, Firefox 78); newer syntax is lowered.
  target: 'es2019',
  legalComments: 'none',
  logLevel: 'warning',
});

const script = readFileSync(outfile);
console.log(`dist/pulse.js: ${script.length} bytes, ${gzipSync(script, { level: 9 }).length} gzipped`);
