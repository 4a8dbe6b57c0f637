-- Alert rules (issue 22): rules watched per window, each window's evaluation kept once, and the webhook
-- deliveries a firing owes, written in the same transaction as the evaluation that fired (an outbox).

CREATE TABLE "alert_webhooks" (
  "tenant_id"  INTEGER NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "id"         SERIAL NOT NULL,
  "name"       TEXT NOT NULL,
  "url"        TEXT NOT NULL,
  -- Standard Webhooks secret (whsec_…): deliveries are signed with it, so it is kept as given to the tenant.
  "secret"     TEXT NOT NULL,
  "format"     TEXT NOT NULL DEFAULT 'json',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "id")
);

CREATE TABLE "alert_rules" (
  "tenant_id"            INTEGER NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "id"                   SERIAL NOT NULL,
  "name"                 TEXT NOT NULL,
  "metric"               JSONB NOT NULL,
  "window_seconds"       INTEGER NOT NULL,
  "condition"            JSONB NOT NULL,
  "pending_windows"      INTEGER NOT NULL DEFAULT 1,
  "cooldown_seconds"     INTEGER NOT NULL DEFAULT 3600,
  "webhook_id"           INTEGER,
  "state"                TEXT NOT NULL DEFAULT 'ok',
  "consecutive_breaches" INTEGER NOT NULL DEFAULT 0,
  "last_fired_at"        TIMESTAMPTZ(3),
  -- The end of the next window to evaluate; evaluated once the window has closed and late events have had time to arrive.
  "next_window_end"      TIMESTAMPTZ(3) NOT NULL,
  -- Which instance holds the rule and until when: another may take it only after the lease has run out.
  "lease_owner"          TEXT,
  "lease_until"          TIMESTAMPTZ(3),
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("tenant_id", "id"),
  FOREIGN KEY ("tenant_id", "webhook_id") REFERENCES "alert_webhooks" ("tenant_id", "id") ON DELETE SET NULL ("webhook_id")
);
CREATE INDEX "alert_rules_next_window_end_idx" ON "alert_rules" ("next_window_end");

-- One row per rule and window: the primary key is what makes a window's evaluation (and so its notification) happen once.
CREATE TABLE "alert_evaluations" (
  "tenant_id"      INTEGER NOT NULL,
  "rule_id"        INTEGER NOT NULL,
  "window_end"     TIMESTAMPTZ(3) NOT NULL,
  "value"          DOUBLE PRECISION,
  "baseline"       DOUBLE PRECISION,
  "lower"          DOUBLE PRECISION,
  "upper"          DOUBLE PRECISION,
  "breached"       BOOLEAN NOT NULL,
  "state"          TEXT NOT NULL,
  "previous_state" TEXT NOT NULL,
  "evaluated_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "evaluated_by"   TEXT NOT NULL,
  PRIMARY KEY ("tenant_id", "rule_id", "window_end"),
  FOREIGN KEY ("tenant_id", "rule_id") REFERENCES "alert_rules" ("tenant_id", "id") ON DELETE CASCADE
);

CREATE TABLE "webhook_deliveries" (
  "tenant_id"       INTEGER NOT NULL,
  "id"              BIGSERIAL NOT NULL,
  "rule_id"         INTEGER NOT NULL,
  "webhook_id"      INTEGER NOT NULL,
  "window_end"      TIMESTAMPTZ(3) NOT NULL,
  "kind"            TEXT NOT NULL,
  "payload"         JSONB NOT NULL,
  "status"          TEXT NOT NULL DEFAULT 'pending',
  "attempts"        INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "lease_owner"     TEXT,
  "lease_until"     TIMESTAMPTZ(3),
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "finished_at"     TIMESTAMPTZ(3),
  PRIMARY KEY ("tenant_id", "id"),
  UNIQUE ("tenant_id", "rule_id", "window_end", "webhook_id"),
  FOREIGN KEY ("tenant_id", "rule_id") REFERENCES "alert_rules" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "webhook_id") REFERENCES "alert_webhooks" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending';

CREATE TABLE "webhook_attempts" (
  "tenant_id"    INTEGER NOT NULL,
  "delivery_id"  BIGINT NOT NULL,
  "attempt"      INTEGER NOT NULL,
  "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "outcome"      TEXT NOT NULL,
  "status_code"  INTEGER,
  "duration_ms"  INTEGER NOT NULL,
  "error"        TEXT,
  PRIMARY KEY ("tenant_id", "delivery_id", "attempt"),
  FOREIGN KEY ("tenant_id", "delivery_id") REFERENCES "webhook_deliveries" ("tenant_id", "id") ON DELETE CASCADE
);
