import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's performance table is written by `npm run bench` in the same run as its section of
// docs/BENCHMARKS.md: the rows must be the same, and both must name the machine that produced them.

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');

function suiteSection(text: string): string {
  const match = /<!-- bench:suite:start -->([\s\S]*?)<!-- bench:suite:end -->/.exec(text);
  if (!match) throw new Error('no bench:suite section');
  return match[1]!;
}

const tableRows = (section: string) => section.split('\n').filter((line) => line.startsWith('|'));
const machine = (section: string) => /on (\d+ × .+?) on the same machine/.exec(section)?.[1];
const runAt = (section: string) => /(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)/.exec(section)?.[1];

it('the README performance table is the one npm run bench wrote to docs/BENCHMARKS.md, from the same run and machine', () => {
  const readme = suiteSection(read('README.md'));
  const benchmarks = suiteSection(read('docs/BENCHMARKS.md'));
  expect(tableRows(readme).length).toBeGreaterThan(2);
  expect(tableRows(readme)).toEqual(tableRows(benchmarks));
  expect(machine(readme)).toMatch(/RAM, Node\.js/);
  expect(machine(readme)).toBe(machine(benchmarks));
  expect(runAt(readme)).toBe(runAt(benchmarks));
  expect(readme).toContain('`npm run bench`');
  expect(benchmarks).toContain('`npm run bench`');
});
