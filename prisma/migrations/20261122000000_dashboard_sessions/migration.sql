-- Dashboard sign-in: a browser's HttpOnly session cookie holds a token; only its SHA-256 is stored. A session
-- may hold several keys (the tenant switcher); the most recently chosen one is the session's tenant.

CREATE TABLE "dashboard_sessions" (
    "id" SERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_sessions_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "dashboard_sessions_token_hash_key" ON "dashboard_sessions"("token_hash");

CREATE TABLE "dashboard_session_keys" (
    "session_id" INTEGER NOT NULL,
    "api_key_id" INTEGER NOT NULL,
    "chosen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dashboard_session_keys_pkey" PRIMARY KEY ("session_id", "api_key_id")
);

CREATE INDEX "dashboard_session_keys_api_key_id_idx" ON "dashboard_session_keys"("api_key_id");

ALTER TABLE "dashboard_session_keys" ADD CONSTRAINT "dashboard_session_keys_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "dashboard_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "dashboard_session_keys" ADD CONSTRAINT "dashboard_session_keys_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
