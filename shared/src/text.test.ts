import { describe, expect, it } from 'vitest';
import { cutToUtf8Bytes, unstorableTextIn } from './text.ts';

describe('unstorableTextIn', () => {
  it('accepts any Unicode text, emoji and right-to-left marks included', () => {
    expect(unstorableTextIn({ name: '👩‍👩‍👧‍👦', path: '\u202E/\u05E9', list: ['\uFEFF', 'e\u0301', 1, null] })).toBeNull();
  });

  it('names the first string or key with a NUL or an unpaired surrogate', () => {
    expect(unstorableTextIn({ userId: 'a\u0000b' })).toBe('userId: contains a NUL character (\\u0000), which cannot be stored');
    expect(unstorableTextIn({ properties: { tags: ['ok', 'x\uD800'] } })).toBe(
      'properties.tags.1: contains an unpaired UTF-16 surrogate, which is not Unicode (a broken emoji?)',
    );
    expect(unstorableTextIn({ properties: { ['k\uDC00']: 1 } })).toMatch(/^properties: a key contains an unpaired UTF-16 surrogate/);
    expect(unstorableTextIn('\u0000')).toMatch(/^the input: contains a NUL/);
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    const problem = unstorableTextIn(deep)!;
    expect(problem).toMatch(/contains a NUL/);
    expect(problem.length).toBeLessThan(400);
  });
});

describe('cutToUtf8Bytes', () => {
  const bytes = (text: string) => new TextEncoder().encode(text).length;

  it('leaves text within the bound as it is', () => {
    expect(cutToUtf8Bytes('/pricing', 1024)).toBe('/pricing');
    expect(cutToUtf8Bytes('é'.repeat(512), 1024)).toBe('é'.repeat(512));
  });

  it('cuts to the bound in bytes, never inside a character', () => {
    for (const unit of ['a', 'é', '中', '😀', 'e\u0301']) {
      const cut = cutToUtf8Bytes(unit.repeat(3000), 1024);
      expect(bytes(cut)).toBeLessThanOrEqual(1024);
      expect(bytes(cut)).toBeGreaterThan(1024 - 4);
      expect(unstorableTextIn(cut)).toBeNull();
    }
  });
});
