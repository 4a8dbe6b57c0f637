import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRetentionResponse } from '@pulse/shared/cohorts';
import { EventRepository, NOT_ENRICHED } from '../repositories/event-repository.ts';
import { TenantRepository } from '../repositories/tenant-repository.ts';
import type { Runtime } from '../runtime.ts';
import { rateLimitsWith } from '../services/rate-limit-plans.ts';
import { parseCsv } from '../test/csv-parse.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// Every table's CSV download against the JSON answer of the same procedure to the same caller: parsed back,
// the CSV holds the answer's rows, hostile text included (a spreadsheet formula comes back behind an
// apostrophe); refusals are tRPC's own; the event log's download stops at the export bounds with a cursor.

const DAY_MS = 86_400_000;
const RANGE = { from: new Date(Date.now() - 2 * DAY_MS).toISOString(), to: new Date(Date.now() + DAY_MS).toISOString() };
/** Text a visitor's browser may send: formulas, quotes, commas, line breaks, tabs, any script. */
const HOSTILE = ["=cmd|' /C calc'!A0", 'say "hi", then\r\nleave', '+1-1', '@SUM(A1)', '-2', '\ttabbed', 'ünïcødé 😀 中文, "quoted"', 'plain'];
const USER = 'csv-user';

const EVENT_COLUMNS = [
  'ts',
  'type',
  'name',
  'userId',
  'anonymousId',
  'sessionId',
  'path',
  'referrer',
  'country',
  'device',
  'browser',
  'properties',
  'messageId',
  'id',
  'receivedAt',
];
interface TableCase {
  input: unknown;
  rowsOf: (answer: any) => Array<Record<string, unknown>>;
  /** The header; a function of the answer where the columns depend on it. */
  columns: string[] | ((answer: any) => string[]);
  /** Numbers and instants alone: no visitor's text reaches the table, so there is no hostile text to look for. */
  numbersOnly?: true;
}

/** The retention answer's cohorts as records, one field per offset ("period 0", …), as its download's columns name them. */
const retentionRecords = (answer: TRetentionResponse) =>
  answer.periods.map((cohort) => ({
    start: cohort.start,
    size: cohort.size,
    ...Object.fromEntries(cohort.values.map((cell, offset) => [`period ${offset}`, cell.percent])),
  }));

/** Each table: the input of the download, where its rows are in the JSON answer, and its columns. */
const TABLES: Record<string, TableCase> = {
  'analytics.summary': { input: RANGE, rowsOf: (answer) => answer.byType, columns: ['name', 'count'] },
  'analytics.topPages': { input: { ...RANGE, limit: 100 }, rowsOf: (answer) => answer.pages, columns: ['path', 'views'] },
  'analytics.breakdown': { input: { ...RANGE, by: 'country', limit: 100 }, rowsOf: (answer) => answer.rows, columns: ['value', 'count'] },
  'analytics.propertyBreakdown': { input: { ...RANGE, key: 'plan', limit: 100 }, rowsOf: (answer) => answer.rows, columns: ['value', 'count'] },
  'analytics.funnel': {
    input: { ...RANGE, steps: HOSTILE.map((path) => ({ kind: 'page', path })) },
    rowsOf: (answer) => answer.steps,
    columns: ['label', 'visitors', 'dropped', 'conversion', 'medianSecondsFromPrevious'],
  },
  'analytics.goals': { input: RANGE, rowsOf: (answer) => answer.goals, columns: ['name', 'conversions', 'visitors', 'rate'] },
  'analytics.retention': {
    input: { ...RANGE, period: 'day', timeZone: 'UTC' },
    rowsOf: retentionRecords,
    columns: (answer: TRetentionResponse) => ['start', 'size', ...answer.periods.map((_, offset) => `period ${offset}`)],
    numbersOnly: true,
  },
  'events.list': { input: { limit: 50 }, rowsOf: (answer) => answer.events, columns: EVENT_COLUMNS },
  'events.timeline': { input: { visitorId: USER, limit: 500 }, rowsOf: (answer) => answer.events, columns: [...EVENT_COLUMNS, 'os', 'isBot'] },
};

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'csv');
  for (const text of HOSTILE) await runtime.services.goals.create(tenant.id, { name: `Goal ${text}`, match: { kind: 'page', path: text, match: 'is' } });
  await runtime.services.eventIngest.ingest(tenant, {
    batch: HOSTILE.flatMap((text, index) =>
      // Counts of 1 to 8, so that the tables' rows are ordered by something other than their text.
      Array.from({ length: index + 1 }, (_, copy) => ({
        type: 'page' as const,
        userId: copy === 0 ? USER : text,
        anonymousId: `anon-${index}`,
        messageId: `csv-${index}-${copy}`,
        context: { page: { path: text }, location: { country: text } },
        properties: { plan: text, nested: { note: text } },
      })),
    ),
  });
  // Events named with the hostile text too, for the events-by-type table.
  await runtime.services.eventIngest.ingest(tenant, {
    batch: HOSTILE.map((text, index) => ({ type: 'track' as const, event: text, userId: text, messageId: `csv-named-${index}` })),
  });
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

interface CsvAnswer {
  status: number;
  headers: Headers;
  text: string;
}

async function downloadCsv(baseUrl: string, procedure: string, input: unknown, headers: Record<string, string> = {}): Promise<CsvAnswer> {
  const url = new URL(`/api/csv/${procedure}`, baseUrl);
  if (input !== undefined) url.searchParams.set('input', JSON.stringify(input));
  const response = await fetch(url, { headers });
  // Decoded as is: response.text() would drop the byte order mark, which is part of what is checked.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text };
}

/** The CSV's header and records, after the byte order mark it starts with. */
function tableOf(answer: CsvAnswer): { header: string[]; records: string[][] } {
  expect(answer.text.startsWith('\uFEFF')).toBe(true);
  const [header, ...records] = parseCsv(answer.text.slice(1));
  return { header: header!, records };
}

/** A JSON value as its CSV cell must read: text that a spreadsheet would run as a formula behind an apostrophe. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

describe('CSV downloads', () => {
  it.each(Object.keys(TABLES))('%s: the CSV holds the rows of the JSON answer, hostile text safe', async (procedure) => {
    const { input, rowsOf, columns: columnsFor, numbersOnly } = TABLES[procedure]!;
    const json = await callTrpc(server.url, procedure, 'query', input, bearer(tenant.keys.read));
    expect(json.status, json.error?.message).toBe(200);
    const rows = rowsOf(json.data);
    const columns = typeof columnsFor === 'function' ? columnsFor(json.data) : columnsFor;
    expect(rows.length).toBeGreaterThan(0);
    // The table is about the hostile text: every kind of it is in the rows compared.
    const texts = JSON.stringify(rows);
    if (!numbersOnly) for (const text of HOSTILE) expect(texts).toContain(JSON.stringify(text).slice(1, -1));

    const csv = await downloadCsv(server.url, procedure, input, bearer(tenant.keys.read));
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="pulse-${procedure}-${new Date().toISOString().slice(0, 10)}.csv"`);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const { header, records } = tableOf(csv);
    expect(header).toEqual(columns);
    expect(records).toEqual(rows.map((row) => columns.map((column) => cellOf(row[column]))));
    // No cell of it starts a formula.
    for (const cell of records.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('reads a table for the dashboard session as for its key', async () => {
    const signIn = await callTrpc(server.url, 'auth.signIn', 'mutation', { apiKey: tenant.keys.read });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const withCookie = await downloadCsv(server.url, 'analytics.topPages', TABLES['analytics.topPages']!.input, { cookie });
    const withKey = await downloadCsv(server.url, 'analytics.topPages', TABLES['analytics.topPages']!.input, bearer(tenant.keys.read));
    expect(withCookie.status).toBe(200);
    expect(withCookie.text).toBe(withKey.text);
  });

  it.each<[string, () => Record<string, string>]>([
    ['no key', () => ({})],
    ['an unknown key', () => bearer('pk_read_0000000000000000000000')],
    ['a key without read scope', () => bearer(tenant.keys.ingest)],
  ])('refuses %s with the status and error body tRPC answers', async (_label, headersOf) => {
    const sent = headersOf();
    const input = TABLES['analytics.topPages']!.input;
    const csv = await downloadCsv(server.url, 'analytics.topPages', input, sent);
    const trpc = await fetch(`${server.url}/trpc/analytics.topPages?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: sent });
    expect(csv.status).toBeGreaterThanOrEqual(400);
    expect(csv.status).toBe(trpc.status);
    expect(csv.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(csv.text)).toEqual(await trpc.json());
  });

  it('refuses input its procedure refuses, as tRPC does', async () => {
    for (const input of [{ from: 'yesterday', to: RANGE.to }, { ...RANGE, limit: 10_000 }, undefined]) {
      const csv = await downloadCsv(server.url, 'analytics.topPages', input, bearer(tenant.keys.read));
      const trpc = await callTrpc(server.url, 'analytics.topPages', 'query', input, bearer(tenant.keys.read));
      expect(csv.status).toBe(400);
      expect(JSON.parse(csv.text).error).toEqual(trpc.error);
    }
    const notJson = await fetch(`${server.url}/api/csv/analytics.topPages?input=%7Bnot-json`, { headers: bearer(tenant.keys.read) });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not JSON/);
  });

  it('answers 404 for a table without a download, naming those with one', async () => {
    for (const procedure of ['analytics.timeseries', 'keys.create', 'nothing', '__proto__', 'toString']) {
      const csv = await downloadCsv(server.url, procedure, {}, bearer(tenant.keys.read));
      expect(csv.status).toBe(404);
      const body = JSON.parse(csv.text) as { error: { message: string; data: { appCode: string } } };
      expect(body.error.data.appCode).toBe('NOT_FOUND');
      expect(body.error.message).toContain('analytics.topPages');
    }
  });
});

describe('the bounds of a CSV download', () => {
  const EVENTS = 300;
  let boundedRuntime: Runtime;
  let boundedServer: TestServer;
  let exporter: TestTenant;
  let freeReadKey: string;

  beforeAll(async () => {
    boundedRuntime = await startTestRuntime({ EXPORT_MAX_BYTES: 65_536, RATE_LIMITS: rateLimitsWith({ free: { read: 3 } }) });
    boundedServer = await startTestServer(boundedRuntime);
    exporter = await createTestTenant(boundedRuntime, 'csv-bounds');
    const now = Date.now();
    await new EventRepository(boundedRuntime.pool).insertMany(
      Array.from({ length: EVENTS }, (_, index) => ({
        ...NOT_ENRICHED,
        tenantId: exporter.id,
        messageId: `bounded-${index}`,
        type: 'track',
        name: 'bulky',
        userId: `user-${index % 7}`,
        anonymousId: null,
        sessionId: null,
        path: null,
        referrer: null,
        device: null,
        browser: null,
        country: null,
        // About 1 KB of JSON each: 300 of them are well past the 64 KB an export page may hold.
        properties: { padding: 'x'.repeat(1_000), index },
        ts: new Date(now - index * 1_000),
      })),
    );
    const free = await new TenantRepository(boundedRuntime.prisma).create({ slug: `csv-free-${now}`, name: 'CSV free plan', plan: 'free' });
    freeReadKey = (await boundedRuntime.services.apiKeys.createKey(free.id, 'read', 'csv test')).key;
  });

  afterAll(async () => {
    await boundedServer?.close();
    await boundedRuntime?.close();
  });

  it("stops the event log's download at the export page's byte cap, with a cursor that reads on to the end", async () => {
    const messageIds: string[] = [];
    let cursor: string | undefined;
    let parts = 0;
    do {
      const input = { name: 'bulky', cursor };
      const csv = await downloadCsv(boundedServer.url, 'events.list', input, bearer(exporter.keys.read));
      expect(csv.status, csv.text).toBe(200);
      const { header, records } = tableOf(csv);
      // Each part is the export page of the same input, row for row.
      const page = await callTrpc<{ events: Array<Record<string, unknown>>; nextCursor: string | null }>(
        boundedServer.url,
        'events.export',
        'query',
        input,
        bearer(exporter.keys.read),
      );
      expect(records).toEqual(page.data!.events.map((event) => header.map((column) => cellOf(event[column]))));
      expect(csv.headers.get('pulse-next-cursor')).toBe(page.data!.nextCursor);
      expect(records.length).toBeLessThan(EVENTS);
      messageIds.push(...records.map((record) => record[header.indexOf('messageId')]!));
      cursor = csv.headers.get('pulse-next-cursor') ?? undefined;
      parts += 1;
    } while (cursor);
    expect(parts).toBeGreaterThan(2);
    expect(messageIds).toEqual(Array.from({ length: EVENTS }, (_, index) => `bounded-${index}`));
  });

  it('refuses more rows than an export page may hold', async () => {
    const csv = await downloadCsv(boundedServer.url, 'events.list', { limit: 5_001 }, bearer(exporter.keys.read));
    expect(csv.status).toBe(400);
    expect(JSON.parse(csv.text).error.message).toMatch(/limit/);
  });

  it("counts downloads against the caller's read limit, refusing past it as tRPC does", async () => {
    const input = TABLES['analytics.topPages']!.input;
    const answers: CsvAnswer[] = [];
    for (let call = 0; call < 4; call += 1) answers.push(await downloadCsv(boundedServer.url, 'analytics.topPages', input, bearer(freeReadKey)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('2');
    const refused = answers[3]!;
    const trpc = await fetch(`${boundedServer.url}/trpc/analytics.topPages?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: bearer(freeReadKey),
    });
    expect(trpc.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const csvError = JSON.parse(refused.text).error;
    const trpcError = ((await trpc.json()) as { error: typeof csvError }).error;
    expect(csvError.data.appCode).toBe('RATE_LIMITED');
    expect({ ...csvError, message: undefined, data: { ...csvError.data, retryAfterSeconds: undefined } }).toEqual({
      ...trpcError,
      message: undefined,
      data: { ...trpcError.data, retryAfterSeconds: undefined },
    });
  });
});
