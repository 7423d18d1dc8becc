-- Statistics and reports (issue 7; requirements.md R-MONTHLY, R-SPECIAL, R-TRENDS, R-CASES).
--
-- 1. Filter fields the special reports (专项统计) group by: product, customer group, region. Null means
--    "not recorded" (the intake does not collect them yet); reports count them as such, never as zero.
-- 2. Figures kept on the ledger row so a month's statistics are one index range scan of `complaint`
--    instead of a walk through its events: when the complaint was first answered (resolved_at), last
--    closed (closed_at) and how often it was reopened. They are derived from the append-only
--    complaint_event by a trigger (so every writer of status events keeps them true without knowing
--    about reports) and filled from the events already recorded.
-- 3. report_run: the reports produced (the monthly one by the job scheduler, one row per month;
--    special ones on demand), with their files, so any instance can serve a download.

ALTER TABLE "complaint" ADD COLUMN "product" TEXT,
    ADD COLUMN "customer_group" TEXT,
    ADD COLUMN "region" TEXT,
    ADD COLUMN "resolved_at" TIMESTAMPTZ(3),
    ADD COLUMN "closed_at" TIMESTAMPTZ(3),
    ADD COLUMN "reopen_count" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION "complaint_report_fields_from_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."payload"->>'to' = 'resolved' THEN
    UPDATE "complaint" SET "resolved_at" = LEAST(COALESCE("resolved_at", NEW."occurred_at"), NEW."occurred_at") WHERE "id" = NEW."complaint_id";
  ELSIF NEW."payload"->>'to' = 'closed' THEN
    UPDATE "complaint" SET "closed_at" = GREATEST(COALESCE("closed_at", NEW."occurred_at"), NEW."occurred_at") WHERE "id" = NEW."complaint_id";
  ELSIF NEW."payload"->>'to' = 'reopened' THEN
    UPDATE "complaint" SET "reopen_count" = "reopen_count" + 1 WHERE "id" = NEW."complaint_id";
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "complaint_event_report_fields"
  AFTER INSERT ON "complaint_event"
  FOR EACH ROW WHEN (NEW."type" = 'status.changed')
  EXECUTE FUNCTION "complaint_report_fields_from_event"();

UPDATE "complaint" c SET
    "resolved_at" = e."resolved_at",
    "closed_at" = e."closed_at",
    "reopen_count" = e."reopen_count"
FROM (
    SELECT "complaint_id",
           MIN("occurred_at") FILTER (WHERE "payload"->>'to' = 'resolved') AS "resolved_at",
           MAX("occurred_at") FILTER (WHERE "payload"->>'to' = 'closed') AS "closed_at",
           COUNT(*) FILTER (WHERE "payload"->>'to' = 'reopened')::int AS "reopen_count"
    FROM "complaint_event" WHERE "type" = 'status.changed' GROUP BY "complaint_id"
) e
WHERE e."complaint_id" = c."id";

-- Closed complaints by closing time (training-case export).
CREATE INDEX "complaint_closed_at_idx" ON "complaint"("closed_at");

CREATE TYPE "report_kind" AS ENUM ('monthly', 'special');

CREATE TABLE "report_run" (
    "id" UUID NOT NULL,
    "kind" "report_kind" NOT NULL,
    "month_key" CHAR(7),
    "period_from" CHAR(10) NOT NULL,
    "period_to" CHAR(10) NOT NULL,
    "filters" JSONB NOT NULL DEFAULT '{}',
    "requested_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "produced_at" TIMESTAMPTZ(3),
    "figures" JSONB,
    "pdf" BYTEA,
    "xlsx" BYTEA,
    "emailed_at" TIMESTAMPTZ(3),
    "recipient_count" INTEGER,
    "last_error" TEXT,
    CONSTRAINT "report_run_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "report_run_month_key_for_monthly" CHECK (("kind" = 'monthly') = ("month_key" IS NOT NULL))
);
CREATE UNIQUE INDEX "report_run_month_key_key" ON "report_run"("month_key");
CREATE INDEX "report_run_kind_created_at_idx" ON "report_run"("kind", "created_at");
