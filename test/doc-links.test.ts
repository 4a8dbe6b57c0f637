import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DOCS = [
  'README.md',
  'load/README.md',
  'client/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text outside fenced code blocks: links in examples are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function anchorsOf(file: string): Set<string> {
  const headings = prose(readFileSync(join(ROOT, file), 'utf8')).match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((heading) => anchorOf(heading.replace(/^#+ /, ''))));
}

/** Links and images to files of this repository, as [target, anchor]. */
function localLinks(file: string): Array<{ target: string; anchor: string | null }> {
  const links = [...prose(readFileSync(join(ROOT, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  return links
    .filter((link) => !/^[a-z]+:/i.test(link))
    .map((link) => {
      const [path, anchor] = link.split('#');
      return { target: path ? relative(ROOT, join(ROOT, dirname(file), path)) : file, anchor: anchor ?? null };
    });
}

describe.each(DOCS)('%s', (file) => {
  it('links only to files that exist, and to headings they have', () => {
    const broken = localLinks(file).filter(({ target, anchor }) => {
      if (!existsSync(join(ROOT, target))) return true;
      return anchor !== null && target.endsWith('.md') && !anchorsOf(target).has(anchor);
    });
    expect(broken.map(({ target, anchor }) => (anchor ? `${target}#${anchor}` : target))).toEqual([]);
  });
});
