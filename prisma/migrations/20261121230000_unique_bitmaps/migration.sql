-- Unique visitors and sessions over a range become an OR of bitmaps instead of a distinct over hashed daily
-- sets (a 30-day distinct read ~600k rows per period). Each visitor or session of a tenant gets a dense
-- ordinal; each hour and UTC day keeps, per 4096-ordinal chunk, a bitmap of the ordinals seen.

CREATE TABLE "unique_ordinals" (
    "tenant_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "hash" BIGINT NOT NULL,
    "ordinal" BIGINT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "unique_ordinals_pkey" PRIMARY KEY ("tenant_id", "kind", "hash")
);

CREATE TABLE "unique_ordinal_counters" (
    "tenant_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "next_ordinal" BIGINT NOT NULL,

    CONSTRAINT "unique_ordinal_counters_pkey" PRIMARY KEY ("tenant_id", "kind")
);

CREATE TABLE "unique_bitmaps" (
    "tenant_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "chunk" BIGINT NOT NULL,
    "bits" VARBIT NOT NULL,

    CONSTRAINT "unique_bitmaps_pkey" PRIMARY KEY ("tenant_id", "kind", "unit", "bucket", "chunk")
);

-- Counters and bitmaps are updated on every commit: room for HOT updates, frequent vacuum.
ALTER TABLE "unique_ordinal_counters" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE "unique_bitmaps" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);

-- Number what is already stored (first seen first), then fill the bitmaps from the raw rows.
INSERT INTO "unique_ordinals"
SELECT "tenant_id", kind, hash, row_number() OVER (PARTITION BY "tenant_id", kind ORDER BY min("ts"), hash) - 1, min("ts")
  FROM "events",
       LATERAL (VALUES ('visitor', hashtextextended(coalesce("user_id", "anonymous_id"), 0)),
                       ('session', hashtextextended("session_id", 0))) AS k(kind, hash)
 WHERE hash IS NOT NULL
 GROUP BY 1, 2, 3;
INSERT INTO "unique_ordinal_counters"
SELECT "tenant_id", "kind", max("ordinal") + 1 FROM "unique_ordinals" GROUP BY 1, 2;
INSERT INTO "unique_bitmaps"
SELECT e."tenant_id", o."kind", 'hour', e.hour, o."ordinal" / 4096,
       bit_or(set_bit(repeat('0', 4096)::varbit, (o."ordinal" % 4096)::int, 1))
  FROM (SELECT DISTINCT "tenant_id", k.kind, date_trunc('hour', "ts", 'UTC') AS hour, k.hash
          FROM "events",
               LATERAL (VALUES ('visitor', hashtextextended(coalesce("user_id", "anonymous_id"), 0)),
                               ('session', hashtextextended("session_id", 0))) AS k(kind, hash)
         WHERE k.hash IS NOT NULL) e
  JOIN "unique_ordinals" o ON o."tenant_id" = e."tenant_id" AND o."kind" = e.kind AND o."hash" = e.hash
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO "unique_bitmaps"
SELECT "tenant_id", "kind", 'day', date_trunc('day', "bucket", 'UTC'), "chunk", bit_or("bits")
  FROM "unique_bitmaps" WHERE "unit" = 'hour'
 GROUP BY 1, 2, 3, 4, 5;

DROP TABLE "daily_visitors";
DROP TABLE "daily_sessions";
