-- Takeover (issue 5, item 3): who holds a conversation lives in handoff_request (requested → accepted
-- by an agent → ended), and every message of a conversation is kept in transcript_message.

ALTER TABLE "handoff_request"
    ADD COLUMN "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    ADD COLUMN "open_conversation_key" TEXT,
    ADD COLUMN "accepted_by" UUID,
    ADD COLUMN "accepted_at" TIMESTAMPTZ(3),
    ADD COLUMN "ended_by" UUID,
    ADD COLUMN "ended_at" TIMESTAMPTZ(3);

-- Requests recorded before this migration: keep the oldest open one per conversation, cancel the rest.
UPDATE "handoff_request" h SET "status" = 'cancelled', "ended_at" = CURRENT_TIMESTAMP
 WHERE h."status" IN ('requested', 'accepted')
   AND EXISTS (SELECT 1 FROM "handoff_request" o
                WHERE o."channel_id" = h."channel_id" AND o."conversation_id" = h."conversation_id"
                  AND o."status" IN ('requested', 'accepted')
                  AND (o."created_at", o."id") < (h."created_at", h."id"));
UPDATE "handoff_request" SET "open_conversation_key" = "channel_id" || '/' || "conversation_id"
 WHERE "status" IN ('requested', 'accepted');

-- At most one open handoff per conversation (a partial unique index cannot be described in
-- schema.prisma, so the key column is set while open and cleared after).
CREATE UNIQUE INDEX "handoff_request_open_conversation_key_key" ON "handoff_request"("open_conversation_key");
ALTER TABLE "handoff_request"
    ADD CONSTRAINT "handoff_request_open_key_matches_status" CHECK (
        ("status" IN ('requested', 'accepted')) = ("open_conversation_key" IS NOT NULL)
        AND ("open_conversation_key" IS NULL OR "open_conversation_key" = "channel_id" || '/' || "conversation_id")
    ),
    ADD CONSTRAINT "handoff_request_accepted_with_agent" CHECK (
        ("status" <> 'accepted' OR ("accepted_by" IS NOT NULL AND "accepted_at" IS NOT NULL))
    );

CREATE TYPE "transcript_direction" AS ENUM ('inbound', 'outbound', 'internal');

CREATE TABLE "transcript_message" (
    "id" BIGSERIAL NOT NULL,
    "channel_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "complaint_id" UUID,
    "direction" "transcript_direction" NOT NULL,
    "actor_type" "actor_type" NOT NULL,
    "actor_id" TEXT,
    "activity_id" TEXT,
    -- Personal data: plain text so field-level encryption at rest can store ciphertext here.
    "text" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "transcript_message_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "transcript_message_channel_id_conversation_id_id_idx" ON "transcript_message"("channel_id", "conversation_id", "id");
CREATE INDEX "transcript_message_complaint_id_id_idx" ON "transcript_message"("complaint_id", "id");
