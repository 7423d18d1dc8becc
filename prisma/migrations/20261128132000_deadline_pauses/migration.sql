-- Stopping and restarting a complaint's clock (requirements.md, "How time is counted"): time spent
-- waiting for an external appraisal does not count (complaint_pause, one row per wait), and new
-- facts from the customer restart the clock (complaint.clock_restarted_at, the latest restart).
-- An approved extension of the decision period (30, then 60 days) is kept on the complaint too, so
-- that every recompute of the deadlines (services/deadlines/recompute-deadlines.ts) sees it.

CREATE TYPE "pause_reason" AS ENUM ('external_appraisal');

ALTER TABLE "complaint" ADD COLUMN "clock_restarted_at" TIMESTAMPTZ(3);
ALTER TABLE "complaint" ADD COLUMN "extended_decision_days" INTEGER;
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_clock_restarted_after_acceptance"
    CHECK ("clock_restarted_at" IS NULL OR "clock_restarted_at" >= "accepted_at");
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_extended_decision_days_positive"
    CHECK ("extended_decision_days" IS NULL OR "extended_decision_days" > 0);

CREATE TABLE "complaint_pause" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "reason" "pause_reason" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    -- Staff ids (services/deadlines/complaint-clock.ts checks them); no foreign key, so the staff model stays as it is.
    "started_by" UUID NOT NULL,
    "ended_by" UUID,
    CONSTRAINT "complaint_pause_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "complaint_pause_ends_after_start" CHECK ("ended_at" IS NULL OR "ended_at" >= "started_at"),
    CONSTRAINT "complaint_pause_ended_by_with_end" CHECK (("ended_at" IS NULL) = ("ended_by" IS NULL))
);
CREATE INDEX "complaint_pause_complaint_id_started_at_idx" ON "complaint_pause"("complaint_id", "started_at");
ALTER TABLE "complaint_pause" ADD CONSTRAINT "complaint_pause_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one open pause per complaint, and pauses of a complaint never overlap. (A partial unique
-- index would be simpler but cannot be described in schema.prisma; the trigger locks the complaint
-- row, so concurrent writers are serialised.)
CREATE FUNCTION "complaint_pause_no_overlap"() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM "complaint" WHERE "id" = NEW."complaint_id" FOR UPDATE;
    IF EXISTS (
        SELECT 1 FROM "complaint_pause" p
         WHERE p."complaint_id" = NEW."complaint_id"
           AND p."id" <> NEW."id"
           AND (p."ended_at" IS NULL OR p."ended_at" > NEW."started_at")
           AND (NEW."ended_at" IS NULL OR NEW."ended_at" > p."started_at")
    ) THEN
        RAISE EXCEPTION 'complaint % already has a pause at that time', NEW."complaint_id" USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "complaint_pause_no_overlap"
    BEFORE INSERT OR UPDATE OF "complaint_id", "started_at", "ended_at" ON "complaint_pause"
    FOR EACH ROW EXECUTE FUNCTION "complaint_pause_no_overlap"();
