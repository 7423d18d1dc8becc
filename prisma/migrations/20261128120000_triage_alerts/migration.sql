-- Alerts raised for people (a supervisor told of an urgent or high-tier complaint; the escalation
-- ladder adds more kinds). One row per recipient; dedupe_key makes raising an alert idempotent.

CREATE TYPE "alert_status" AS ENUM ('open', 'acknowledged', 'resolved');

CREATE TABLE "alert" (
    "id" UUID NOT NULL,
    "complaint_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient_role" "staff_role" NOT NULL,
    "recipient_staff_id" UUID,
    "department_id" UUID,
    "status" "alert_status" NOT NULL DEFAULT 'open',
    "dedupe_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "alert_dedupe_key_key" ON "alert"("dedupe_key");
CREATE INDEX "alert_recipient_staff_id_status_idx" ON "alert"("recipient_staff_id", "status");
CREATE INDEX "alert_complaint_id_idx" ON "alert"("complaint_id");

ALTER TABLE "alert" ADD CONSTRAINT "alert_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "alert" ADD CONSTRAINT "alert_recipient_staff_id_fkey" FOREIGN KEY ("recipient_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "alert" ADD CONSTRAINT "alert_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
