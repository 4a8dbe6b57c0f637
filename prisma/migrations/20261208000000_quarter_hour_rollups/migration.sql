-- Minute rollups were kept for ever, and were almost all of the counting rollups' 26 bytes per event on the 10 M-event
-- benchmark dataset (`npm run bench:storage`: 2.6 once they are kept two days). They served three things: minute series, the minute edges of ranges that do not start or
-- end on an hour, and whole ranges in zones whose offset is not whole hours (India's +5:30, Nepal's +5:45), whose
-- local hours start at :30 or :45 UTC. Every zone's offset is a multiple of 15 minutes, so quarter-hours serve
-- the last; the other two only need minutes for recent times. From now on:
--   * rollup_quarter_hour counts events per tenant, name and UTC quarter-hour, kept as long as the events;
--   * rollup_minute keeps the last two days only (the retention job deletes older minutes every hour), and the
--     minute edges of older ranges are counted from raw events, at most fifteen minutes of them per edge.
CREATE TABLE "rollup_quarter_hour" (
    "tenant_id" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rollup_quarter_hour_pkey" PRIMARY KEY ("tenant_id", "bucket", "name")
);

-- Every minute counted so far, summed into its quarter-hour; writers wait, so none is counted twice or missed.
LOCK TABLE "rollup_minute" IN SHARE MODE;
INSERT INTO "rollup_quarter_hour" ("tenant_id", "bucket", "name", "count")
SELECT "tenant_id", date_bin('15 minutes', "bucket", TIMESTAMPTZ '2000-01-01 00:00:00+00'), "name", sum("count")
  FROM "rollup_minute"
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3;
