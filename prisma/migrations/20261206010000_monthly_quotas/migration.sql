-- Monthly event quotas: per tenant and quota period (a calendar month in UTC, or QUOTA_PERIOD_SECONDS), the events
-- ingestion stored. A metered write locks its tenants' rows here first, in tenant order, then admits, inserts and
-- counts in the same transaction; see docs/ARCHITECTURE.md, "Monthly event quotas". Keyed by tenant like every
-- table, so it can be distributed by tenant.
CREATE TABLE "event_quota_usage" (
    "tenant_id" INTEGER NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "used" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "event_quota_usage_pkey" PRIMARY KEY ("tenant_id", "period_start")
);

-- Every metered flush updates its tenants' rows twice (the lock, then the count): room for HOT updates.
ALTER TABLE "event_quota_usage" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02);
