-- Personal data (issue 8, item 1): retention. A complaint closed longer ago than the policy's retention
-- period is anonymised (services/retention); so is its complainant once none of their complaints is
-- still within the period. `anonymised_at` records when, and makes the job idempotent.
ALTER TABLE "complaint" ADD COLUMN "anonymised_at" TIMESTAMPTZ(3);
ALTER TABLE "complainant" ADD COLUMN "anonymised_at" TIMESTAMPTZ(3);

-- An anonymised complainant has neither phone nor e-mail left (nor their keyed hashes).
ALTER TABLE "complainant" DROP CONSTRAINT "complainant_identified";
ALTER TABLE "complainant" ADD CONSTRAINT "complainant_identified" CHECK ("phone_hash" IS NOT NULL OR "email_hash" IS NOT NULL OR "anonymised_at" IS NOT NULL);
