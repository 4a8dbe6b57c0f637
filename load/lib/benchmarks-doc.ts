import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const HEADER = `# Benchmarks

Every section below is written by the command named in it; none is edited by hand. Timings on a shared
2-core machine are noisy, so each section also gives ratios measured in the same run.
`;

/** Replaces (or appends) the section `name` of docs/BENCHMARKS.md, leaving the others as they are. */
export async function writeBenchmarkSection(name: string, markdown: string): Promise<string> {
  const current = await readFile(DOC, 'utf8').catch(() => HEADER);
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(DOC, next);
  return DOC;
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
