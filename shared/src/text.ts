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
