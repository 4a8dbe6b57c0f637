-- Browser collection: what the server learns at ingest (operating system, referring site, UTM campaign) and
-- whether the sender is a crawler. Bots are stored, and left out of every rollup but their own breakdown.
ALTER TABLE "events" ADD COLUMN "os" TEXT,
                     ADD COLUMN "referrer_source" TEXT,
                     ADD COLUMN "utm_source" TEXT,
                     ADD COLUMN "utm_medium" TEXT,
                     ADD COLUMN "utm_campaign" TEXT,
                     ADD COLUMN "is_bot" BOOLEAN NOT NULL DEFAULT false;

-- The salt of the day's cookieless visitor ids: random, shared by every instance, deleted once its day is over.
CREATE TABLE "visitor_salts" (
    "day" DATE NOT NULL,
    "salt" BYTEA NOT NULL,

    CONSTRAINT "visitor_salts_pkey" PRIMARY KEY ("day")
);
