import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const HEADER = `# Benchmarks

Every section below is written by the command named in it; none is edited by hand. Timings on a shared
2-core machine are noisy, so each section also gives ratios measured in the same run.
`;

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Replaces (or appends) the section `name` of docs/BENCHMARKS.md (or of the README), leaving the rest as it is. */
export async function writeBenchmarkSection(name: string, markdown: string, file: 'benchmarks' | 'readme' = 'benchmarks'): Promise<string> {
  const target = file === 'readme' ? README : DOC;
  const current = await readFile(target, 'utf8').catch(() => HEADER);
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(target, next);
  return target;
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
