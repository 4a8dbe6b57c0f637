/**
 * Reads CSV as RFC 4180 writes it (CRLF line ends, quoted fields with doubled quotes), refusing anything else:
 * written apart from the writer (http/csv.ts), so that tests of one check the other.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = '';
    if (text[at] === '"') {
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote === -1) throw new Error(`a quoted field never ends (from character ${at})`);
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at += 1;
      }
    } else {
      const end = /[,\r\n"]/.exec(text.slice(at));
      const length = end ? end.index : text.length - at;
      field = text.slice(at, at + length);
      at += length;
      if (text[at] === '"') throw new Error(`a quote inside an unquoted field (character ${at})`);
    }
    record.push(field);
    if (text[at] === ',') {
      at += 1;
      continue;
    }
    if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at character ${at}, found ${JSON.stringify(text.slice(at, at + 10))}`);
  }
  if (record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}
