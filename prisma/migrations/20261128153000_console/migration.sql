-- Console sign-in (issue 5, item 1): password hashes with lockout counters, and server-side sessions.

CREATE TABLE "staff_credential" (
    "staff_id" UUID NOT NULL,
    -- scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>; never the password.
    "password_hash" TEXT NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "password_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "last_sign_in_at" TIMESTAMPTZ(3),
    CONSTRAINT "staff_credential_pkey" PRIMARY KEY ("staff_id"),
    CONSTRAINT "staff_credential_hash_is_scrypt" CHECK ("password_hash" LIKE 'scrypt$%'),
    CONSTRAINT "staff_credential_failed_attempts_nonnegative" CHECK ("failed_attempts" >= 0)
);

CREATE TABLE "staff_session" (
    -- SHA-256 (hex) of the session cookie's token.
    "id" TEXT NOT NULL,
    "staff_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "idle_seconds" INTEGER NOT NULL,
    "idle_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "staff_session_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_session_idle_positive" CHECK ("idle_seconds" > 0)
);
CREATE INDEX "staff_session_staff_id_idx" ON "staff_session"("staff_id");
CREATE INDEX "staff_session_expires_at_idx" ON "staff_session"("expires_at");
