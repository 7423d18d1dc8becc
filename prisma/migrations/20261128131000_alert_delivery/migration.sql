-- Alert delivery: how each staff member wants to be told (one row per kind of path), and one row per
-- alert and path recording its delivery, so a retried or duplicated job sends each path once.

CREATE TYPE "contact_kind" AS ENUM ('email', 'webhook', 'chat');
CREATE TYPE "alert_delivery_status" AS ENUM ('pending', 'sent', 'failed');

CREATE TABLE "staff_contact" (
    "id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "kind" "contact_kind" NOT NULL,
    "address" TEXT,
    "secret" TEXT,
    "reference" JSONB,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "staff_contact_pkey" PRIMARY KEY ("id"),
    -- Each kind carries what its path needs: an address, a URL with its signing secret, a conversation.
    CONSTRAINT "staff_contact_email_address" CHECK ("kind" <> 'email' OR "address" IS NOT NULL),
    CONSTRAINT "staff_contact_webhook_url_secret" CHECK ("kind" <> 'webhook' OR ("address" IS NOT NULL AND "secret" IS NOT NULL)),
    CONSTRAINT "staff_contact_chat_reference" CHECK ("kind" <> 'chat' OR "reference" IS NOT NULL)
);
CREATE UNIQUE INDEX "staff_contact_staff_id_kind_key" ON "staff_contact"("staff_id", "kind");

CREATE TABLE "alert_delivery" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "kind" "contact_kind" NOT NULL,
    "status" "alert_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "alert_delivery_alert_id_kind_key" ON "alert_delivery"("alert_id", "kind");
CREATE INDEX "alert_delivery_status_idx" ON "alert_delivery"("status");

ALTER TABLE "staff_contact" ADD CONSTRAINT "staff_contact_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
