-- Satisfaction survey, reopen loop and complaints about handling (issue 6; requirements.md R-SURVEY,
-- R-SUPERVISION, R-KPI, review.windowDays).
--
-- 1. satisfaction_survey: one survey per answer the customer received. `cycle` is the complaint's
--    reopen_count when the answer was given (0 = the first answer, n = the answer after the nth
--    reopening), so every round of the loop has its own row and its own result. Its times are in the
--    database (send_at, remind_at, expires_at) so the BullMQ jobs that act on them are derived data:
--    a lost job is found again from these rows. The customer's answer (rating 1–5 and/or satisfied,
--    free-text comment) or a callback's result recorded by an agent (answered_by_staff_id).
--    A survey sent by SMS or e-mail link carries a one-time token; only its hash is stored.
-- 2. complaint.handling_of_complaint_id: this complaint is about how another complaint was handled
--    (投诉处理人员 / 处理太慢); it is routed to the supervision department.

CREATE TYPE "survey_method" AS ENUM ('chat', 'sms', 'email', 'callback');
CREATE TYPE "survey_status" AS ENUM ('scheduled', 'sent', 'reminded', 'answered', 'no_response', 'cancelled');

CREATE TABLE "satisfaction_survey" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "cycle" INTEGER NOT NULL,
    "method" "survey_method" NOT NULL,
    "status" "survey_status" NOT NULL DEFAULT 'scheduled',
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "feedback_at" TIMESTAMPTZ(3) NOT NULL,
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "remind_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "rating" SMALLINT,
    "satisfied" BOOLEAN,
    "comment" TEXT,
    "answered_by_staff_id" UUID,
    "link_token_hash" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "satisfaction_survey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "satisfaction_survey_rating_range" CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5),
    CONSTRAINT "satisfaction_survey_cycle_nonnegative" CHECK ("cycle" >= 0),
    CONSTRAINT "satisfaction_survey_answer_complete" CHECK (
        ("status" = 'answered') = ("answered_at" IS NOT NULL AND "satisfied" IS NOT NULL)
    ),
    CONSTRAINT "satisfaction_survey_times_ordered" CHECK ("send_at" <= "remind_at" AND "remind_at" <= "expires_at")
);

CREATE UNIQUE INDEX "satisfaction_survey_complaint_id_cycle_key" ON "satisfaction_survey"("complaint_id", "cycle");
CREATE UNIQUE INDEX "satisfaction_survey_link_token_hash_key" ON "satisfaction_survey"("link_token_hash");
CREATE INDEX "satisfaction_survey_status_send_at_idx" ON "satisfaction_survey"("status", "send_at");
CREATE INDEX "satisfaction_survey_answered_at_idx" ON "satisfaction_survey"("answered_at");

ALTER TABLE "satisfaction_survey" ADD CONSTRAINT "satisfaction_survey_complaint_id_fkey"
    FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "satisfaction_survey" ADD CONSTRAINT "satisfaction_survey_answered_by_staff_id_fkey"
    FOREIGN KEY ("answered_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "complaint" ADD COLUMN "handling_of_complaint_id" UUID;
CREATE INDEX "complaint_handling_of_complaint_id_idx" ON "complaint"("handling_of_complaint_id");
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_handling_of_complaint_id_fkey"
    FOREIGN KEY ("handling_of_complaint_id") REFERENCES "complaint"("id") ON DELETE SET NULL ON UPDATE CASCADE;
