// Builds dist/: index.js, and declaration files that hold Pulse's API in full and nothing of the backend (see
// src/caller-api.ts). Only the client's own entry files are emitted, though the program reads the backend's
// sources to learn the types. Fails if a published declaration still points into the workspace.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
/** What a caller's project loads: index.js at run time; these three for the types. */
const ENTRIES = { 'index.ts': 'js and types', 'pulse-router.ts': 'types', 'caller-api.ts': 'types' };

const configPath = `${root}tsconfig.json`;
const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
const options = {
  ...parsed.options,
  // A program of its own (not the type-check's project build): the backend's sources are read, not its outputs.
  composite: false,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: false,
  allowImportingTsExtensions: false,
  rewriteRelativeImportExtensions: true,
  outDir: dist,
  rootDir: `${root}src`,
  sourceMap: false,
};
const program = ts.createProgram(
  Object.keys(ENTRIES).map((file) => `${root}src/${file}`),
  options,
);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0)
  fail(ts.formatDiagnosticsWithColorAndContext(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
for (const [file, what] of Object.entries(ENTRIES)) {
  const result = program.emit(program.getSourceFile(`${root}src/${file}`), undefined, undefined, what === 'types');
  if (result.emitSkipped) fail(`could not emit ${file}`);
}

for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.ts'))) {
  const text = readFileSync(`${dist}/${file}`, 'utf8');
  const leak = /["']@pulse\/|from ["'][^"']+\.ts["']|import\(["'][^"']+\.ts["']\)/.exec(text);
  if (leak) fail(`dist/${file} still refers to ${leak[0]}: a caller's project could not resolve it`);
}
console.log(`@pulse/client built: ${readdirSync(dist).join(', ')}`);

function fail(message) {
  console.error(message);
  process.exit(1);
}
