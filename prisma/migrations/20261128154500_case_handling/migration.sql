-- Case handling (issue 5 items 4 and 6; requirements.md R-INVESTIGATE, R-ANALYSE, R-MEASURES,
-- R-FEEDBACK, R-TIER1): the staff a complaint is about (回避), the investigation with root cause and
-- impact, handlers' written records, compensation with approval by amount band, corrective actions.
-- Staff and department ids carry no foreign key (as deadline_extension): services/case-handling checks them.

CREATE TYPE "root_cause" AS ENUM ('internal_management', 'business_process', 'staff_service', 'product', 'third_party', 'customer_misunderstanding', 'other');
CREATE TYPE "impact_level" AS ENUM ('low', 'medium', 'high', 'severe');
CREATE TYPE "case_record_kind" AS ENUM ('investigation_note', 'negotiation', 'feedback', 'leadership_meeting', 'senior_report');
CREATE TYPE "compensation_status" AS ENUM ('requested', 'approved', 'refused');
CREATE TYPE "approval_band" AS ENUM ('team_lead', 'department_head', 'leadership_group');
CREATE TYPE "corrective_action_status" AS ENUM ('open', 'done');

CREATE TABLE "complaint_subject_staff" (
    "complaint_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "recorded_by" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "complaint_subject_staff_pkey" PRIMARY KEY ("complaint_id", "staff_id")
);
CREATE INDEX "complaint_subject_staff_staff_id_idx" ON "complaint_subject_staff"("staff_id");
ALTER TABLE "complaint_subject_staff" ADD CONSTRAINT "complaint_subject_staff_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "case_investigation" (
    "complaint_id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "investigator_id" UUID NOT NULL,
    "methods" TEXT[],
    "started_by" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "root_cause" "root_cause",
    "root_cause_detail" TEXT,
    "impact_level" "impact_level",
    "impact_assessment" TEXT,
    "analysed_by" UUID,
    "analysed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "case_investigation_pkey" PRIMARY KEY ("complaint_id"),
    CONSTRAINT "case_investigation_analysis_complete"
        CHECK (("root_cause" IS NULL) = ("analysed_at" IS NULL) AND ("analysed_at" IS NULL) = ("analysed_by" IS NULL)
               AND ("root_cause" IS NULL) = ("impact_level" IS NULL))
);
ALTER TABLE "case_investigation" ADD CONSTRAINT "case_investigation_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "case_record" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "kind" "case_record_kind" NOT NULL,
    "body" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "recorded_by" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "case_record_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "case_record_complaint_id_recorded_at_idx" ON "case_record"("complaint_id", "recorded_at");
ALTER TABLE "case_record" ADD CONSTRAINT "case_record_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What was written down stays as written (R-RECORD): like complaint_event, no UPDATE or DELETE.
CREATE FUNCTION "case_record_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_record is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "case_record_no_update_delete"
  BEFORE UPDATE OR DELETE ON "case_record"
  FOR EACH ROW EXECUTE FUNCTION "case_record_append_only"();

CREATE TABLE "compensation" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "amount_yuan" DECIMAL(18,2) NOT NULL,
    "reason" TEXT NOT NULL,
    "band" "approval_band" NOT NULL,
    "policy_version" TEXT NOT NULL,
    "requested_by" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "compensation_status" NOT NULL DEFAULT 'requested',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    CONSTRAINT "compensation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "compensation_amount_positive" CHECK ("amount_yuan" > 0),
    CONSTRAINT "compensation_decided_with_status"
        CHECK (("status" = 'requested') = ("decided_at" IS NULL) AND ("decided_at" IS NULL) = ("decided_by" IS NULL)),
    -- Four eyes: nobody approves or refuses their own request.
    CONSTRAINT "compensation_not_self_decided" CHECK ("decided_by" IS NULL OR "decided_by" <> "requested_by")
);
CREATE INDEX "compensation_complaint_id_requested_at_idx" ON "compensation"("complaint_id", "requested_at");
ALTER TABLE "compensation" ADD CONSTRAINT "compensation_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "corrective_action" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "owner_staff_id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "due_on" DATE NOT NULL,
    "status" "corrective_action_status" NOT NULL DEFAULT 'open',
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "done_by" UUID,
    "done_at" TIMESTAMPTZ(3),
    "done_note" TEXT,
    CONSTRAINT "corrective_action_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "corrective_action_done_with_status"
        CHECK (("status" = 'done') = ("done_at" IS NOT NULL) AND ("done_at" IS NULL) = ("done_by" IS NULL))
);
CREATE INDEX "corrective_action_complaint_id_created_at_idx" ON "corrective_action"("complaint_id", "created_at");
CREATE INDEX "corrective_action_status_due_on_idx" ON "corrective_action"("status", "due_on");
ALTER TABLE "corrective_action" ADD CONSTRAINT "corrective_action_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
