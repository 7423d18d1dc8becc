-- Extensions of the decision period (issue 4, item 8; requirements.md R-INVESTIGATE): a handler asks
-- with a reason, the role the policy names approves or refuses. The approved figure is copied to
-- complaint.extended_decision_days (20261128132000_deadline_pauses), which every recompute reads.

CREATE TYPE "extension_status" AS ENUM ('requested', 'approved', 'refused');

CREATE TABLE "deadline_extension" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "requested_days" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    -- Staff ids (services/extensions/extensions.ts checks them); no foreign key, as complaint_pause.
    "requested_by" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "extension_status" NOT NULL DEFAULT 'requested',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    CONSTRAINT "deadline_extension_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "deadline_extension_days_positive" CHECK ("requested_days" > 0),
    CONSTRAINT "deadline_extension_decided_with_status"
        CHECK (("status" = 'requested') = ("decided_at" IS NULL) AND ("decided_at" IS NULL) = ("decided_by" IS NULL))
);
CREATE INDEX "deadline_extension_complaint_id_requested_at_idx" ON "deadline_extension"("complaint_id", "requested_at");
ALTER TABLE "deadline_extension" ADD CONSTRAINT "deadline_extension_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
