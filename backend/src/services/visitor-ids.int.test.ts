import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VisitorSaltRepository } from '../repositories/visitor-salt-repository.ts';
import { migrate } from '../infra/db/migrator.ts';
import { createScratchDatabase, type ScratchDatabase } from '../test/scratch-database.ts';
import { VisitorIdService } from './visitor-ids.ts';

// A database of its own: storing a salt deletes every earlier day's, which would pull today's salt from under the
// other test files' runtimes in the shared one.
let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase();
  await migrate(database.pool);
});

afterAll(async () => {
  await database?.drop();
});

const salts = () => database.pool.query<{ day: string }>("SELECT to_char(day, 'YYYY-MM-DD') AS day FROM visitor_salts ORDER BY day");
const noWarnings = { warn: () => {} };

it('gives every instance the same id for a visitor on one day, another the next day, and keeps no salt past its day', async () => {
  const repository = new VisitorSaltRepository(database.pool);
  await database.pool.query("INSERT INTO visitor_salts (day, salt) VALUES ('2020-01-01', $1) ON CONFLICT DO NOTHING", [randomBytes(32)]);
  const instances = [1, 2, 3].map(() => new VisitorIdService(repository, (call) => call(), noWarnings));
  const monday = new Date('2030-01-07T10:00:00Z');
  const ids = await Promise.all(instances.map(async (instance) => (await instance.forDay(monday))(1, '203.0.113.9', 'Firefox')));
  expect(new Set(ids).size).toBe(1);
  expect((await salts()).rows.map((row) => row.day)).toEqual(['2030-01-07']);

  const tuesday = new Date('2030-01-08T10:00:00Z');
  const nextDay = (await instances[0]!.forDay(tuesday))(1, '203.0.113.9', 'Firefox');
  expect(nextDay).not.toBe(ids[0]);
  expect((await instances[1]!.forDay(monday))(2, '203.0.113.9', 'Firefox')).not.toBe(ids[0]);
  await repository.forgetBefore('2030-01-09');
  expect((await salts()).rows).toEqual([]);
});

it('keeps taking events with an instance-local salt while the database is out, stable for that instance', async () => {
  const unavailable = new VisitorIdService(new VisitorSaltRepository(database.pool), () => Promise.reject(new Error('breaker open')), noWarnings);
  const day = new Date('2031-05-05T10:00:00Z');
  const first = (await unavailable.forDay(day))(1, '203.0.113.9', 'Firefox');
  const again = (await unavailable.forDay(day))(1, '203.0.113.9', 'Firefox');
  expect(first).toMatch(/^cl_/);
  expect(again).toBe(first);
});
