-- Smaller storage per event, measured on the 10 M-event benchmark dataset (`npm run bench:storage`, docs/BENCHMARKS.md).
--
-- 1. Visitor timelines and the event log look events up by user id, anonymous id and session id. Their b-trees
--    keyed (tenant, value, ts) took 41 bytes per event each; keyed (tenant, value) alone, the entries of one value
--    share a posting list (b-tree deduplication): 17, 18 and 11 bytes. A lookup then sorts each day partition's
--    few matches by time: EXPLAIN (ANALYZE, BUFFERS) of a timeline page by user id and by anonymous id, and of the
--    event log by session, took 1.5–5 ms against 27–62 ms with the old ones. The name index keeps ts: a name has
--    thousands of events a day, and the event log's first page by name took 80 ms instead of 32 without it.
DROP INDEX "events_tenant_id_user_id_ts_idx";
DROP INDEX "events_tenant_id_anonymous_id_ts_idx";
DROP INDEX "events_tenant_id_session_id_ts_idx";
CREATE INDEX "events_tenant_id_user_id_idx" ON "events"("tenant_id", "user_id");
CREATE INDEX "events_tenant_id_anonymous_id_idx" ON "events"("tenant_id", "anonymous_id");
CREATE INDEX "events_tenant_id_session_id_idx" ON "events"("tenant_id", "session_id");

-- 2. Exactly-once keeps a fixed 16-byte key per message id instead of the id's text, which senders make as long
--    as they like (Segment's ids are 40–50 characters): the id's MD5 as a uuid, unique per tenant. Two different
--    ids of one tenant would have to collide in 128 bits (about n² / 2¹²⁹: never, in practice) for the second to
--    be taken for a retry; a sender that crafts such a pair only drops its own event. The events keep the id's text.
--    No timestamp either: retention deletes the keys of the events it deletes, found from those events, instead
--    of reading every key of the tenant for old ones. 131 → 93 bytes per event on the dataset's short ids.
CREATE TABLE "event_message_keys" (
    "tenant_id" INTEGER NOT NULL,
    "message_key" UUID NOT NULL,

    CONSTRAINT "event_message_keys_pkey" PRIMARY KEY ("tenant_id", "message_key")
);
-- Every id recorded so far, keyed; a collision between two of them would fail this migration rather than lose one.
INSERT INTO "event_message_keys" ("tenant_id", "message_key")
SELECT "tenant_id", md5("message_id")::uuid FROM "event_ids" ORDER BY 1, 2;
DROP TABLE "event_ids";
