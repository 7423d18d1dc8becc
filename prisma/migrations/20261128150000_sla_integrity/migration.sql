-- Who paused a clock or asked for / decided an extension must be a staff member.
ALTER TABLE "complaint_pause" ADD CONSTRAINT "complaint_pause_started_by_fkey" FOREIGN KEY ("started_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "complaint_pause" ADD CONSTRAINT "complaint_pause_ended_by_fkey" FOREIGN KEY ("ended_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "deadline_extension" ADD CONSTRAINT "deadline_extension_requested_by_fkey" FOREIGN KEY ("requested_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "deadline_extension" ADD CONSTRAINT "deadline_extension_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A delivery path whose last failure was permanent is not swept up again.
ALTER TABLE "alert_delivery" ADD COLUMN "permanent" BOOLEAN NOT NULL DEFAULT false;

-- The sweep reads open alerts oldest first.
CREATE INDEX "alert_status_created_at_idx" ON "alert"("status", "created_at");
