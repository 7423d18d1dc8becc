-- WeChat Official Account channel (issue 9, item 1): followers (openid → complainant) and the inbound
-- messages, stored before WeChat is answered and processed from here (bot/channels/wechat/).

CREATE TYPE "wechat_message_status" AS ENUM ('pending', 'done', 'failed');

CREATE TABLE "wechat_user" (
    "id" UUID NOT NULL,
    "app_id" TEXT NOT NULL,
    -- Personal data: never logged; the rest of the bot knows the user by "id".
    "open_id" TEXT NOT NULL,
    "complainant_id" UUID,
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "wechat_user_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "wechat_user_app_id_open_id_key" ON "wechat_user"("app_id", "open_id");
CREATE INDEX "wechat_user_complainant_id_idx" ON "wechat_user"("complainant_id");
ALTER TABLE "wechat_user" ADD CONSTRAINT "wechat_user_complainant_id_fkey" FOREIGN KEY ("complainant_id") REFERENCES "complainant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "wechat_inbound_message" (
    "id" BIGSERIAL NOT NULL,
    -- WeChat's MsgId (64-bit, kept as text) or "event:<hash>": retries of one message find it taken.
    "msg_key" TEXT NOT NULL,
    "wechat_user_id" UUID NOT NULL,
    "msg_type" TEXT NOT NULL,
    "event" TEXT,
    "content" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "wechat_message_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "processed_at" TIMESTAMPTZ(3),
    CONSTRAINT "wechat_inbound_message_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "wechat_inbound_message_msg_key_key" ON "wechat_inbound_message"("msg_key");
CREATE INDEX "wechat_inbound_message_wechat_user_id_status_id_idx" ON "wechat_inbound_message"("wechat_user_id", "status", "id");
CREATE INDEX "wechat_inbound_message_status_received_at_idx" ON "wechat_inbound_message"("status", "received_at");
ALTER TABLE "wechat_inbound_message" ADD CONSTRAINT "wechat_inbound_message_wechat_user_id_fkey" FOREIGN KEY ("wechat_user_id") REFERENCES "wechat_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
