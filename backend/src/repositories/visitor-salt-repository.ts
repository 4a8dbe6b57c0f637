import type pg from 'pg';

/** The day's salt: the first instance to ask stores its candidate, the others read it; older salts are deleted. */
const SALT_OF_DAY_SQL = `
WITH forgotten AS (
  DELETE FROM visitor_salts WHERE day < $1::date
),
stored AS (
  INSERT INTO visitor_salts (day, salt) VALUES ($1::date, $2) ON CONFLICT (day) DO NOTHING RETURNING salt
)
SELECT salt FROM stored
UNION ALL
SELECT salt FROM visitor_salts WHERE day = $1::date
LIMIT 1`;

export class VisitorSaltRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** `day` as YYYY-MM-DD (UTC). Null only when another instance's salt was committed after this statement began. */
  async saltOfDay(day: string, candidate: Buffer): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ salt: Buffer }>(SALT_OF_DAY_SQL, [day, candidate]);
    return rows[0]?.salt ?? null;
  }

  /** Deletes the salts of days before `day` (YYYY-MM-DD, UTC), also when no event came today to replace them. */
  async forgetBefore(day: string): Promise<void> {
    await this.pool.query('DELETE FROM visitor_salts WHERE day < $1::date', [day]);
  }
}
