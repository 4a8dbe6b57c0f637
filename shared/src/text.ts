import { z } from 'zod';

/**
 * Text that cannot be stored: PostgreSQL refuses NUL in text and JSON, and an unpaired UTF-16 surrogate is no
 * Unicode at all (it cannot be written as UTF-8). Inputs carrying either are refused, naming where.
 */
const NUL = '\u0000';
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;
/** Paths in messages stop growing here: a deep enough input would otherwise be named by a path longer than itself. */
const MAX_PATH_LENGTH = 200;

function textProblem(text: string): string | null {
  if (text.includes(NUL)) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not Unicode (a broken emoji?)';
  return null;
}

/**
 * The first key or string in a JSON value that cannot be stored, as "path: problem"; null when all can.
 * Walked with a stack of its own, so no nesting can exhaust the call stack.
 */
export function unstorableTextIn(value: unknown, path = ''): string | null {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value === 'string') {
      const problem = textProblem(next.value);
      if (problem) return `${next.path || 'the input'}: ${problem}`;
      continue;
    }
    if (next.value === null || typeof next.value !== 'object') continue;
    for (const [key, child] of Object.entries(next.value)) {
      const childPath = next.path.length > MAX_PATH_LENGTH ? next.path : next.path ? `${next.path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return `${next.path || 'the input'}: a key ${keyProblem}`;
      pending.push({ value: child, path: childPath });
    }
  }
  return null;
}

/** A string of an input that reaches storage or a query: refused with the reason when it cannot be stored. */
export const ZStorableString = z.string().superRefine((text, ctx) => {
  const problem = textProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const utf8 = new TextEncoder();

/**
 * The longest start of `text` that takes at most `maxBytes` in UTF-8, never cutting a character in two. Values
 * that become part of an index key are held to such a bound: PostgreSQL refuses a b-tree row over ~2.7 KB.
 */
export function cutToUtf8Bytes(text: string, maxBytes: number): string {
  // Fast path: no UTF-16 code unit takes more than 3 bytes in UTF-8 (a surrogate pair takes 4 for two units).
  if (text.length * 3 <= maxBytes || utf8.encode(text).length <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}
