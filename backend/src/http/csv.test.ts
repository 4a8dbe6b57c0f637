import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../test/csv-parse.ts';
import { csvField, csvLine } from './csv.ts';

/** What a cell holding `text` must read as in a spreadsheet: never a formula, else the text itself. */
const asSpreadsheetText = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

describe('csvField', () => {
  it('writes nothing for null, numbers and booleans as JSON does, objects as JSON', () => {
    expect([null, undefined, 42, -1.5, true, false, 12n].map(csvField)).toEqual(['', '', '42', '-1.5', 'true', 'false', '12']);
    expect(csvField({ plan: 'pro', n: [1, 2] })).toBe('"{""plan"":""pro"",""n"":[1,2]}"');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('crlf\r\n')).toBe('"crlf\r\n"');
    expect(csvField('plain /path ünïcødé 😀')).toBe('plain /path ünïcødé 😀');
  });

  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    expect(csvField("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    // Only text: a number is written by us, never by a visitor.
    expect(csvField(-5)).toBe('-5');
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('csvLine', () => {
  it('reads back as the values it was given, formulas neutralised, for any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('=1', '"', ',', '\r\n', '\n', '')), { minLength: 1, maxLength: 6 }),
        (values) => {
          expect(parseCsv(csvLine(values))).toEqual([values.map(asSpreadsheetText)]);
        },
      ),
      { seed: 20_261_204, numRuns: 500 },
    );
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});
