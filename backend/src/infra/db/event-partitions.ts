import type pg from 'pg';
import { inTransaction } from './transaction.ts';

const DAY_MS = 86_400_000;
/** Serialises partition DDL across instances (any constant unlikely to clash with another lock). */
const PARTITION_LOCK_ID = 4_242_001;

export const partitionName = (day: Date): string => `events_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

const startOfUtcDay = (time: Date): Date => new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);

/**
 * Daily partitions of `events`. Partitions are made ahead of time; an event outside every partition lands in
 * `events_default`, and `adoptStragglers` later gives its day a partition of its own, moving the rows.
 */
export class EventPartitions {
  constructor(private readonly pool: pg.Pool) {}

  /** Makes sure every UTC day touching [from, to] has its partition. Returns the partitions it created. */
  async ensureDays(from: Date, to: Date): Promise<string[]> {
    const created: string[] = [];
    for (let day = startOfUtcDay(from); day <= to; day = new Date(day.getTime() + DAY_MS)) {
      if (await this.createDay(day)) created.push(partitionName(day));
    }
    return created;
  }

  /** Days that have rows in the default partition get partitions of their own. */
  async adoptStragglers(): Promise<string[]> {
    const { rows } = await this.pool.query<{ day: Date }>(`SELECT DISTINCT date_trunc('day', ts, 'UTC') AS day FROM events_default ORDER BY 1`);
    const created: string[] = [];
    for (const { day } of rows) if (await this.createDay(day)) created.push(partitionName(day));
    return created;
  }

  async list(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT child.relname AS name FROM pg_inherits
         JOIN pg_class parent ON parent.oid = inhparent JOIN pg_class child ON child.oid = inhrelid
        WHERE parent.relname = 'events' ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  /** Drops whole partitions of days that ended before `before`; returns their names. */
  async dropDaysBefore(before: Date): Promise<string[]> {
    const dropped: string[] = [];
    for (const name of await this.list()) {
      const match = /^events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!match) continue;
      const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
      if (dayEnd > before.getTime()) continue;
      await this.pool.query(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
    return dropped;
  }

  private async createDay(day: Date): Promise<boolean> {
    const name = partitionName(day);
    const from = startOfUtcDay(day).toISOString();
    const to = new Date(startOfUtcDay(day).getTime() + DAY_MS).toISOString();
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_ID]);
      const exists = await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
      if (exists.rowCount) return false;
      // Moving a day's stragglers out of the default partition must look atomic to readers: a query planned
      // before the ATTACH commits and run after it sees the moved rows in neither partition (a count of 2 read
      // as 1). Locking the whole table first makes reads wait for the move and plan afresh. Only when the default
      // partition holds rows of that day: never for the partitions made ahead of time, which move nothing.
      const stragglers = await client.query('SELECT 1 FROM events_default WHERE ts >= $1 AND ts < $2 LIMIT 1', [from, to]);
      if (stragglers.rowCount) await client.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      // Built detached, filled with that day's stragglers from the default partition, then attached: the
      // default partition must hold no rows of a range that gets its own partition.
      await client.query(`CREATE TABLE "${name}" (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await client.query(`ALTER TABLE "${name}" SET (autovacuum_vacuum_insert_scale_factor = 0.05)`);
      await client.query(
        `WITH moved AS (DELETE FROM events_default WHERE ts >= $1 AND ts < $2 RETURNING *)
         INSERT INTO "${name}" SELECT * FROM moved`,
        [from, to],
      );
      await client.query(`ALTER TABLE events ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
      return true;
    });
  }
}
