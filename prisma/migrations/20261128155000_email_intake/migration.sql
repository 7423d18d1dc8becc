-- E-mail intake (issue 9, item 3; R-CHANNELS, R-ACK-MAIL): complaints that arrive by e-mail, the
-- replies in their thread and our acknowledgements (services/email-intake).

-- A complainant who writes may give no phone: identified then by a keyed hash of the e-mail address
-- (mirrors phone_hash). Complainants found by phone keep working exactly as before.
ALTER TABLE "complainant" ALTER COLUMN "phone" DROP NOT NULL;
ALTER TABLE "complainant" ALTER COLUMN "phone_hash" DROP NOT NULL;
ALTER TABLE "complainant" ADD COLUMN "email_hash" TEXT;
CREATE UNIQUE INDEX "complainant_email_hash_key" ON "complainant"("email_hash");
ALTER TABLE "complainant" ADD CONSTRAINT "complainant_identified" CHECK ("phone_hash" IS NOT NULL OR "email_hash" IS NOT NULL);
ALTER TABLE "complainant" ADD CONSTRAINT "complainant_phone_with_hash" CHECK (("phone" IS NULL) = ("phone_hash" IS NULL));
ALTER TABLE "complainant" ADD CONSTRAINT "complainant_email_with_hash" CHECK ("email_hash" IS NULL OR "email" IS NOT NULL);

CREATE TYPE "email_direction" AS ENUM ('inbound', 'outbound');
CREATE TYPE "email_message_kind" AS ENUM ('complaint', 'reply', 'acknowledgement');
CREATE TYPE "email_send_status" AS ENUM ('pending', 'sent', 'failed');

CREATE TABLE "email_message" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "direction" "email_direction" NOT NULL,
    "kind" "email_message_kind" NOT NULL,
    "message_id" TEXT NOT NULL,
    "in_reply_to" TEXT,
    "subject" TEXT,
    "body_text" TEXT,
    "attachment_count" INTEGER NOT NULL DEFAULT 0,
    "send_status" "email_send_status",
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_message_pkey" PRIMARY KEY ("id"),
    -- Only what we send has a sending state; what we receive never does.
    CONSTRAINT "email_message_send_status_outbound" CHECK (("direction" = 'outbound') = ("send_status" IS NOT NULL)),
    CONSTRAINT "email_message_kind_direction" CHECK (("kind" = 'acknowledgement') = ("direction" = 'outbound')),
    CONSTRAINT "email_message_sent_at" CHECK (("send_status" = 'sent') = ("sent_at" IS NOT NULL))
);
CREATE UNIQUE INDEX "email_message_message_id_key" ON "email_message"("message_id");
CREATE INDEX "email_message_complaint_id_created_at_idx" ON "email_message"("complaint_id", "created_at");
CREATE INDEX "email_message_send_status_created_at_idx" ON "email_message"("send_status", "created_at");
ALTER TABLE "email_message" ADD CONSTRAINT "email_message_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
