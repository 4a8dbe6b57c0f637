import fc from 'fast-check';

/**
 * Hostile input as JSON text, for property-based tests of everything the API parses. Text rather than values:
 * deep nesting past any stack, `__proto__` keys as own keys, numbers JSON cannot round-trip (1e400) and
 * bodies that are not JSON at all can only be written, not built with JSON.stringify.
 */

const quote = (text: string) => JSON.stringify(text);

/** Strings that trouble parsers, databases and terminals: NUL, lone surrogates, bidi overrides, emoji, BOMs. */
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'user\u0000id',
  '\uD800',
  'x\uDC00',
  '\uDBFF\uDFFF',
  '\u202Egnp.exe',
  '\u200F\u05E9\u05DC\u05D5\u05DD',
  '👩‍👩‍👧‍👦',
  '\uFEFF',
  'e\u0301\u0301\u0301',
  '\u200B',
  '\\',
  '"',
  '\n\r\t',
  '${7*7}',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  '%00',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  'toString',
];

/** Dates that are not: impossible days, extended years, no zone, numbers, garbage. */
export const oddTimestamp: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2024-02-30T00:00:00Z',
    '2023-02-29T12:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:59:60Z',
    '2024-01-01T00:00:00',
    '2024-01-01',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00+23:59',
    '2024-01-01T00:00:00.123456789Z',
    'Invalid Date',
    'NaN',
    'yesterday',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ maxLength: 30 }),
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const anyCodePoint = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate);

/** Tokens shaped like the server's own (a page cursor is base64url of "timestamp|id"), with odd parts. */
const forgedToken = fc
  .tuple(oddTimestamp, fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), fc.constantFrom('-1', '1e3', '')))
  .map(([timestamp, id]) => Buffer.from(`${timestamp}|${id}`).toString('base64url'));

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  // Ordinary text with one odd character in it.
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('u-1', 'signup', '/pricing', 'Berlin'), fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u202E', '\uFEFF'))
      .map(([text, odd]) => `${text}${odd}`),
  },
  { weight: 1, arbitrary: forgedToken },
  fc.string({ unit: anyCodePoint, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Around the limits: 200-character names, 8 KB property strings, 32 KB events, and well past them.
  fc
    .constantFrom(199, 200, 201, 2_048, 8_192, 8_193, 40_000)
    .chain((length) => fc.constantFrom('x', 'é', '😀', '\u0000').map((unit) => unit.repeat(Math.ceil(length / unit.length)))),
);

/** Numbers as text, including what JSON.parse turns into Infinity, -0 or a rounded integer. */
const numberText = fc.oneof(
  fc.constantFrom('0', '-0', '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '0.1', '-1', '2147483648', '9007199254740993'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
);

const keyText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'a', 'path') },
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: fc.constant('k'.repeat(201)) },
);

/** Nesting far past any limit or stack, written out rather than built. */
const deepText = fc
  .constantFrom(6, 7, 64, 1_000, 20_000, 60_000)
  .chain((depth) => fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const { value: anyJsonText } = fc.letrec<{ value: string; primitive: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: tie('primitive') },
    { weight: 3, arbitrary: tie('array') },
    { weight: 3, arbitrary: tie('object') },
    { weight: 1, arbitrary: deepText },
  ),
  primitive: fc.oneof(oddString.map(quote), numberText, fc.constantFrom('true', 'false', 'null')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(keyText, tie('value')), { maxLength: 4 }).map((entries) => objectText(entries)),
}));

/** Any JSON value, hostile in every way the generators above know. */
export const hostileJsonText: fc.Arbitrary<string> = anyJsonText as fc.Arbitrary<string>;

export function objectText(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([key, value]) => `${quote(key)}:${value}`).join(',')}}`;
}

const recentTimestamp = fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }).map((offsetMs) => quote(new Date(Date.now() + offsetMs).toISOString()));
const timestamp = fc.oneof({ weight: 3, arbitrary: recentTimestamp }, { weight: 2, arbitrary: oddTimestamp.map(quote) });

/** Properties, traits or context: objects of hostile keys and values, at most a few levels deep (or far more). */
const hostileObjectText = fc.oneof(
  fc.array(fc.tuple(keyText, hostileJsonText), { maxLength: 5 }).map((entries) => objectText(entries)),
  fc.array(fc.tuple(keyText, oddString.map(quote)), { minLength: 1, maxLength: 3 }).map((entries) => objectText(entries)),
  fc.constant(
    objectText([
      [
        'page',
        objectText([
          ['path', quote('/pricing')],
          ['referrer', quote('https://example.com')],
        ]),
      ],
    ]),
  ),
  hostileJsonText,
);

const EVENT_FIELDS = [
  'type',
  'event',
  'name',
  'messageId',
  'userId',
  'anonymousId',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'properties',
  'traits',
  'context',
] as const;

/** A hostile value for one field of an event, of the kind that field takes or of any kind. */
function hostileField(name: (typeof EVENT_FIELDS)[number]): fc.Arbitrary<string> {
  const fitting = ['timestamp', 'originalTimestamp', 'sentAt'].includes(name)
    ? oddTimestamp.map(quote)
    : ['properties', 'traits', 'context'].includes(name)
      ? hostileObjectText
      : oddString.map(quote);
  return fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 1, arbitrary: hostileJsonText });
}

const validEventFields = fc.record({
  type: fc.constantFrom('track', 'page', 'identify').map(quote),
  event: fc.constantFrom('signup', 'page_view', 'purchase').map(quote),
  messageId: fc.uuid().map(quote),
  userId: fc.constantFrom('u-1', 'u-2').map(quote),
  timestamp: recentTimestamp,
  properties: fc.constant(objectText([['plan', '"pro"']])),
});

/**
 * One event in Segment's envelope: a valid event with a few of its fields (or an extra key) made hostile, so
 * that most get past the first check and whatever is wrong with them reaches the next one, up to storage.
 */
export const hostileEventText: fc.Arbitrary<string> = fc
  .tuple(
    validEventFields,
    // Half the events have nothing wrong with them, so that batches mix stored and rejected events.
    fc.oneof(
      fc.constant([]),
      fc.array(
        fc.constantFrom(...EVENT_FIELDS).chain((name) => hostileField(name).map((value) => [name, value] as const)),
        { minLength: 1, maxLength: 2 },
      ),
    ),
    fc.option(fc.tuple(keyText, hostileJsonText), { freq: 4 }),
  )
  .map(([fields, overrides, extra]) => objectText([...Object.entries({ ...fields, ...Object.fromEntries(overrides) }), ...(extra ? [extra] : [])]));

/** An ingestion request body and, when it is a well-formed batch, how many items it has. */
export interface IngestBody {
  body: Buffer;
  /** Items in `batch`, when the body is JSON with a `batch` array; null otherwise. */
  items: number | null;
  label: string;
}

const text = (label: string, body: string, items: number | null = null): IngestBody => ({ body: Buffer.from(body, 'utf8'), items, label });

/** Bodies that are not JSON: NaN and Infinity, truncation, invalid UTF-8, a BOM, JavaScript instead of JSON. */
const notJsonBody: fc.Arbitrary<IngestBody> = fc.oneof(
  fc
    .constantFrom(
      'NaN',
      'Infinity',
      '-Infinity',
      'undefined',
      '{"batch": [NaN]}',
      '{"batch": [{"type": "track", "event": "x", "userId": "u", "properties": {"n": Infinity}}]}',
      '{"batch": [',
      '{"batch": [{"event": "x",,}]}',
      "{'batch': []}",
      '{"batch": []} trailing',
      '\uFEFF{"batch": [{"type": "track", "event": "bom", "userId": "u"}]}',
      '\u0000',
      '',
    )
    .map((body) => text('not JSON', body)),
  // Bytes that are not UTF-8 inside a string.
  fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]).map((bytes) => ({
    body: Buffer.concat([Buffer.from('{"batch": [{"type": "track", "event": "'), Buffer.from(bytes), Buffer.from('", "userId": "u"}]}')]),
    items: 1,
    label: 'invalid UTF-8',
  })),
);

/** Requests past the limits: over 500 KB, or more events than a batch may have. */
const oversizeBody: fc.Arbitrary<IngestBody> = fc
  .constantFrom(
    () => {
      const event = objectText([
        ['type', '"track"'],
        ['event', '"big"'],
        ['userId', '"u"'],
        ['properties', objectText([['blob', quote('x'.repeat(8_000))]])],
      ]);
      return text('over 500 KB', `{"batch": [${Array.from({ length: 70 }, () => event).join(',')}]}`, 70);
    },
    () => text('over 1,000 events', `{"batch": [${Array.from({ length: 1_001 }, () => '{}').join(',')}]}`, 1_001),
  )
  .map((make) => make());

/** A body for POST /v1/batch or events.ingest. */
export const hostileBatchBody: fc.Arbitrary<IngestBody> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.array(fc.oneof({ weight: 5, arbitrary: hostileEventText }, { weight: 1, arbitrary: hostileJsonText }), { maxLength: 8 }),
        fc.option(timestamp),
        fc.option(fc.tuple(keyText, hostileJsonText)),
      )
      .map(([events, sentAt, extra]) =>
        text(
          'batch',
          objectText([['batch', `[${events.join(',')}]`], ...(sentAt ? [['sentAt', sentAt] as const] : []), ...(extra ? [extra] : [])]),
          events.length,
        ),
      ),
  },
  { weight: 2, arbitrary: hostileJsonText.map((body) => text('any JSON', body)) },
  { weight: 2, arbitrary: notJsonBody },
  { weight: 1, arbitrary: oversizeBody },
);

/** A body for POST /v1/track, /v1/page or /v1/identify: one event. */
export const hostileSingleEventBody: fc.Arbitrary<IngestBody> = fc.oneof(
  { weight: 8, arbitrary: hostileEventText.map((body) => text('event', body, 1)) },
  { weight: 2, arbitrary: hostileJsonText.map((body) => text('any JSON', body)) },
  { weight: 2, arbitrary: notJsonBody },
);

/** The parts of a JSON Schema (as z.toJSONSchema writes them) that shape a hostile input. */
export interface InputSchema {
  type?: string | string[];
  properties?: Record<string, InputSchema>;
  required?: string[];
  additionalProperties?: InputSchema | boolean;
  items?: InputSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: InputSchema[];
  oneOf?: InputSchema[];
  allOf?: InputSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
}

/** Times a few days around now, so that two of them often make a valid range (from before to, under 400 days). */
const nearTimestamp = fc
  .integer({ min: -30, max: 2 })
  .map((days) => quote(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + days * 86_400_000).toISOString()));

/**
 * Inputs shaped like a procedure's input schema, each part valid or hostile: the right keys with odd strings,
 * numbers at and past their bounds, dates that are not, extra keys, and anything at all in any place. Shaped
 * inputs get past the first checks, so what is wrong in them reaches the code behind.
 */
export function hostileInputFor(schema: InputSchema): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: shaped(schema) }, { weight: 1, arbitrary: hostileJsonText });
}

function shaped(schema: InputSchema): fc.Arbitrary<string> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(hostileInputFor));
  if (schema.allOf)
    return hostileInputFor(
      schema.allOf.reduce<InputSchema>(
        (merged, part) => ({
          ...merged,
          ...part,
          properties: { ...merged.properties, ...part.properties },
          required: [...(merged.required ?? []), ...(part.required ?? [])],
        }),
        {},
      ),
    );
  if (schema.enum)
    return fc.oneof(
      fc.constantFrom(...schema.enum).map((value) => JSON.stringify(value)),
      oddString.map(quote),
    );
  if (schema.const !== undefined) return fc.constant(JSON.stringify(schema.const));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectShaped(schema);
    case 'array':
      return fc.array(hostileInputFor(schema.items ?? {}), { maxLength: 4 }).map((items) => `[${items.join(',')}]`);
    case 'string':
      if (schema.format === 'date-time') return fc.oneof(nearTimestamp, oddTimestamp.map(quote));
      return fc
        .oneof(
          oddString,
          fc.constantFrom(schema.minLength ?? 0, schema.maxLength ?? 200, (schema.maxLength ?? 200) + 1).map((length) => 'a'.repeat(length)),
        )
        .map(quote);
    case 'integer':
    case 'number': {
      const bounds = [schema.minimum, schema.maximum, schema.exclusiveMinimum].filter((bound): bound is number => bound !== undefined);
      return fc.oneof(numberText, fc.constantFrom(...bounds.flatMap((bound) => [bound - 1, bound, bound + 1]), 1, 0.5).map(String));
    }
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'null':
      return fc.constant('null');
    default:
      return hostileJsonText;
  }
}

function objectShaped(schema: InputSchema): fc.Arbitrary<string> {
  const known = Object.entries(schema.properties ?? {}).map(([key, property]) =>
    fc.option(
      hostileInputFor(property).map((value) => [key, value] as const),
      { freq: (schema.required ?? []).includes(key) ? 8 : 2 },
    ),
  );
  const extraValue = typeof schema.additionalProperties === 'object' ? hostileInputFor(schema.additionalProperties) : hostileJsonText;
  return fc
    .tuple(fc.tuple(...known), fc.array(fc.tuple(keyText, extraValue), { maxLength: 2 }))
    .map(([entries, extra]) => objectText([...entries.filter((entry) => entry !== null), ...extra]));
}
