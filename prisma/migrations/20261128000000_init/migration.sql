-- Initial schema: organisation, complainants, the ledger, its append-only history, deadlines,
-- conversation references, handoff requests and the bot's state store.

CREATE TYPE "staff_role" AS ENUM ('agent', 'supervisor', 'leadership', 'supervision', 'admin');
CREATE TYPE "business_line" AS ENUM ('insurance', 'securities');
CREATE TYPE "complaint_type" AS ENUM ('insurance_product_inquiry', 'claims_dispute', 'securities_trading', 'investment_advice', 'other');
CREATE TYPE "intake_channel" AS ENUM ('online_chat', 'wechat', 'hotline', 'counter', 'letter', 'email');
CREATE TYPE "feedback_method" AS ENUM ('phone', 'sms', 'email', 'letter', 'chat');
CREATE TYPE "complaint_status" AS ENUM ('received', 'acknowledged', 'assigned', 'investigating', 'resolved', 'closed', 'reopened');
CREATE TYPE "tier" AS ENUM ('L1', 'L2', 'L3');
CREATE TYPE "actor_type" AS ENUM ('customer', 'bot', 'staff', 'system');
CREATE TYPE "deadline_kind" AS ENUM ('first_response', 'to_supervisor', 'forward_to_leadership', 'leadership_meeting', 'investigation', 'feedback', 'statutory_decision');
CREATE TYPE "handoff_status" AS ENUM ('requested', 'accepted', 'ended', 'cancelled');

CREATE TABLE "department" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "business_line" "business_line",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "department_code_key" ON "department"("code");

CREATE TABLE "staff" (
    "id" UUID NOT NULL,
    "employee_no" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "role" "staff_role" NOT NULL,
    "department_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "staff_employee_no_key" ON "staff"("employee_no");
CREATE INDEX "staff_department_id_idx" ON "staff"("department_id");

CREATE TABLE "complainant" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "phone_hash" TEXT NOT NULL,
    "email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "complainant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "complainant_phone_hash_key" ON "complainant"("phone_hash");

CREATE TABLE "complaint_sequence" (
    "day" CHAR(8) NOT NULL,
    "last_value" INTEGER NOT NULL,
    CONSTRAINT "complaint_sequence_pkey" PRIMARY KEY ("day")
);

CREATE TABLE "complaint" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "accepted_day" CHAR(8) NOT NULL,
    "daily_seq" INTEGER NOT NULL,
    "complainant_id" UUID NOT NULL,
    "business_line" "business_line" NOT NULL,
    "type" "complaint_type" NOT NULL,
    "description" TEXT NOT NULL,
    "occurred_on" TEXT,
    "reference_number" TEXT,
    "claimed_loss_yuan" DECIMAL(18,2),
    "feedback_method" "feedback_method" NOT NULL,
    "intake_channel" "intake_channel" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "channel_user_id" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "status" "complaint_status" NOT NULL DEFAULT 'received',
    "tier" "tier",
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "policy_version" TEXT NOT NULL,
    "department_id" UUID,
    "owner_staff_id" UUID,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "intake_submission_id" UUID,
    CONSTRAINT "complaint_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "complaint_number_key" ON "complaint"("number");
CREATE UNIQUE INDEX "complaint_intake_submission_id_key" ON "complaint"("intake_submission_id");
CREATE UNIQUE INDEX "complaint_accepted_day_daily_seq_key" ON "complaint"("accepted_day", "daily_seq");
CREATE INDEX "complaint_status_idx" ON "complaint"("status");
CREATE INDEX "complaint_accepted_at_idx" ON "complaint"("accepted_at");
CREATE INDEX "complaint_complainant_id_idx" ON "complaint"("complainant_id");
CREATE INDEX "complaint_channel_id_channel_user_id_idx" ON "complaint"("channel_id", "channel_user_id");

CREATE TABLE "complaint_event" (
    "id" BIGSERIAL NOT NULL,
    "complaint_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "actor_type" "actor_type" NOT NULL,
    "actor_id" TEXT,
    "channel" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "complaint_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "complaint_event_complaint_id_id_idx" ON "complaint_event"("complaint_id", "id");
CREATE INDEX "complaint_event_type_occurred_at_idx" ON "complaint_event"("type", "occurred_at");

CREATE TABLE "complaint_deadline" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "kind" "deadline_kind" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "met_at" TIMESTAMPTZ(3),
    "warned_at" TIMESTAMPTZ(3),
    "breached_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "complaint_deadline_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "complaint_deadline_complaint_id_kind_key" ON "complaint_deadline"("complaint_id", "kind");
CREATE INDEX "complaint_deadline_due_at_idx" ON "complaint_deadline"("due_at");

CREATE TABLE "conversation_reference" (
    "complaint_id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "service_url" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "conversation_reference_pkey" PRIMARY KEY ("complaint_id")
);
CREATE INDEX "conversation_reference_channel_id_conversation_id_idx" ON "conversation_reference"("channel_id", "conversation_id");

CREATE TABLE "handoff_request" (
    "id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "channel_user_id" TEXT,
    "complaint_id" UUID,
    "reason" TEXT NOT NULL,
    "status" "handoff_status" NOT NULL DEFAULT 'requested',
    "reference" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "handoff_request_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "handoff_request_status_created_at_idx" ON "handoff_request"("status", "created_at");
CREATE INDEX "handoff_request_channel_id_conversation_id_idx" ON "handoff_request"("channel_id", "conversation_id");

CREATE TABLE "bot_state" (
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "etag" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "bot_state_pkey" PRIMARY KEY ("key")
);

ALTER TABLE "staff" ADD CONSTRAINT "staff_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_complainant_id_fkey" FOREIGN KEY ("complainant_id") REFERENCES "complainant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_owner_staff_id_fkey" FOREIGN KEY ("owner_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "complaint_event" ADD CONSTRAINT "complaint_event_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "complaint_deadline" ADD CONSTRAINT "complaint_deadline_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "conversation_reference" ADD CONSTRAINT "conversation_reference_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- R-RECORD: the history is append-only. Corrections are new events, never edits.
CREATE FUNCTION "complaint_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'complaint_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "complaint_event_no_update_delete"
  BEFORE UPDATE OR DELETE ON "complaint_event"
  FOR EACH ROW EXECUTE FUNCTION "complaint_event_append_only"();
CREATE TRIGGER "complaint_event_no_truncate"
  BEFORE TRUNCATE ON "complaint_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "complaint_event_append_only"();
