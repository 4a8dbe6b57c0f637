-- Value rollups: what a filtered question needs, per tenant and closed UTC day, for every value of every filterable
-- column and of a day's most common low-cardinality property keys — event counts by name, and the bitmaps of the
-- visitors and sessions that sent them (ordinals of unique_ordinals). A question filtered on one dimension reads
-- these instead of scanning the raw rows; see docs/ARCHITECTURE.md, "Filtered questions".
--
-- Values are stored as JSON text (`"DE"`, `42`, `null`), so a column that is NULL and a property's JSON null have
-- a key, and a property's number stays apart from its string form for numeric comparisons.

-- One row per tenant and day that has events. Ingestion bumps `version` whenever it stores events of the day;
-- a day's rollups are valid while `built_version` equals it, so a late event sends that day back to the raw rows
-- until it is built again.
CREATE TABLE "value_rollup_days" (
    "tenant_id" INTEGER NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "built_version" BIGINT,
    "built_at" TIMESTAMPTZ(3),
    -- The property keys rolled up for the day, and whether they were all of the day's keys.
    "rolled_keys" TEXT[] NOT NULL DEFAULT '{}',
    "all_keys_rolled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "value_rollup_days_pkey" PRIMARY KEY ("tenant_id", "day")
);

CREATE TABLE "value_rollup_counts" (
    "tenant_id" INTEGER NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "value_rollup_counts_pkey" PRIMARY KEY ("tenant_id", "dimension", "day", "value", "name")
);

CREATE TABLE "value_rollup_bitmaps" (
    "tenant_id" INTEGER NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "chunk" BIGINT NOT NULL,
    "bits" VARBIT NOT NULL,

    CONSTRAINT "value_rollup_bitmaps_pkey" PRIMARY KEY ("tenant_id", "dimension", "day", "value", "kind", "chunk")
);

-- Every flush upserts its days' rows.
ALTER TABLE "value_rollup_days" SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02);
