-- Raw events become range-partitioned by day on ts. Message-id uniqueness moves to event_ids (a unique
-- index on a partitioned table must include the partition key, and a retry may carry another ts).
-- Rollups are added and backfilled from the existing rows, so they agree with them from the start.

ALTER TABLE "events" RENAME TO "events_before_partitioning";
ALTER INDEX "events_pkey" RENAME TO "events_before_partitioning_pkey";
ALTER INDEX "events_tenant_id_message_id_key" RENAME TO "events_before_partitioning_message_key";
ALTER INDEX "events_tenant_id_ts_idx" RENAME TO "events_before_partitioning_ts_idx";
ALTER TABLE "events_before_partitioning" RENAME CONSTRAINT "events_tenant_id_fkey" TO "events_before_partitioning_tenant_fkey";
ALTER SEQUENCE "events_id_seq" RENAME TO "events_before_partitioning_id_seq";

CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "user_id" TEXT,
    "anonymous_id" TEXT,
    "session_id" TEXT,
    "path" TEXT,
    "referrer" TEXT,
    "device" TEXT,
    "browser" TEXT,
    "country" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("tenant_id", "ts", "id")
) PARTITION BY RANGE ("ts");

-- Stragglers outside every day partition land here; partition maintenance moves them out.
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;

-- Insert-mostly, time-ordered: BRIN on ts is tiny and enough for time-range scans; b-trees only where the
-- event log filters.
CREATE INDEX "events_ts_brin" ON "events" USING BRIN ("ts");
CREATE INDEX "events_tenant_id_name_ts_idx" ON "events"("tenant_id", "name", "ts");
CREATE INDEX "events_tenant_id_user_id_ts_idx" ON "events"("tenant_id", "user_id", "ts");
CREATE INDEX "events_tenant_id_session_id_ts_idx" ON "events"("tenant_id", "session_id", "ts");
ALTER TABLE "events" ADD CONSTRAINT "events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "event_ids" (
    "tenant_id" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_ids_pkey" PRIMARY KEY ("tenant_id", "message_id")
);

CREATE TABLE "rollup_minute" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("tenant_id", "bucket", "name")
);

CREATE TABLE "rollup_hour" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rollup_hour_pkey" PRIMARY KEY ("tenant_id", "bucket", "name")
);

CREATE TABLE "rollup_day" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rollup_day_pkey" PRIMARY KEY ("tenant_id", "bucket", "name")
);

CREATE TABLE "rollup_dimension_day" (
    "tenant_id" INTEGER NOT NULL,
    "dimension" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "value" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rollup_dimension_day_pkey" PRIMARY KEY ("tenant_id", "dimension", "bucket", "value")
);

CREATE TABLE "daily_visitors" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "visitor" TEXT NOT NULL,

    CONSTRAINT "daily_visitors_pkey" PRIMARY KEY ("tenant_id", "bucket", "visitor")
);

CREATE TABLE "daily_sessions" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "session_id" TEXT NOT NULL,

    CONSTRAINT "daily_sessions_pkey" PRIMARY KEY ("tenant_id", "bucket", "session_id")
);

-- Rollups and id tables are upserted on every commit: leave room for HOT updates and vacuum them often.
ALTER TABLE "rollup_minute" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE "rollup_hour" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE "rollup_day" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE "rollup_dimension_day" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);

-- Move the existing rows and build their rollups.
INSERT INTO "events" SELECT * FROM "events_before_partitioning";
SELECT setval(pg_get_serial_sequence('"events"', 'id'), GREATEST((SELECT max("id") FROM "events"), 1));
INSERT INTO "event_ids" SELECT "tenant_id", "message_id", "ts" FROM "events";
INSERT INTO "rollup_minute" SELECT "tenant_id", date_trunc('minute', "ts", 'UTC'), "name", count(*) FROM "events" GROUP BY 1, 2, 3;
INSERT INTO "rollup_hour" SELECT "tenant_id", date_trunc('hour', "ts", 'UTC'), "name", count(*) FROM "events" GROUP BY 1, 2, 3;
INSERT INTO "rollup_day" SELECT "tenant_id", date_trunc('day', "ts", 'UTC'), "name", count(*) FROM "events" GROUP BY 1, 2, 3;
INSERT INTO "rollup_dimension_day"
SELECT "tenant_id", d.dimension, date_trunc('day', "ts", 'UTC'), d.value, count(*)
  FROM "events",
       LATERAL (VALUES ('path', CASE WHEN "type" = 'page' THEN "path" END), ('referrer', "referrer"),
                       ('device', "device"), ('browser', "browser"), ('country', "country")) AS d(dimension, value)
 WHERE d.value IS NOT NULL
 GROUP BY 1, 2, 3, 4;
INSERT INTO "daily_visitors"
SELECT DISTINCT "tenant_id", date_trunc('day', "ts", 'UTC'), coalesce("user_id", "anonymous_id")
  FROM "events" WHERE coalesce("user_id", "anonymous_id") IS NOT NULL;
INSERT INTO "daily_sessions"
SELECT DISTINCT "tenant_id", date_trunc('day', "ts", 'UTC'), "session_id"
  FROM "events" WHERE "session_id" IS NOT NULL;

DROP TABLE "events_before_partitioning";
