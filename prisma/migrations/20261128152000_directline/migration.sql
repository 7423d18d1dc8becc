-- Self-hosted Direct Line 3.0 (issue 9, item 2; bot/channels/directline): the web chat's and app's
-- conversations and their activity logs live here, so any bot instance serves any conversation.
-- directline_conversation.last_seq is bumped under the row lock by every append, which orders one
-- conversation's activities without gaps; seq is the watermark clients resume from.

CREATE TABLE "directline_conversation" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "turn_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "directline_conversation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "directline_conversation_updated_at_idx" ON "directline_conversation"("updated_at");

CREATE TABLE "directline_activity" (
    "conversation_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "for_bot" BOOLEAN NOT NULL,
    "activity" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "directline_activity_pkey" PRIMARY KEY ("conversation_id", "seq")
);
ALTER TABLE "directline_activity" ADD CONSTRAINT "directline_activity_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "directline_conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
