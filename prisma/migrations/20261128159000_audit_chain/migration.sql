-- Audit integrity (issue 8, R-RECORD): complaint events form one hash chain per complaint.
--
-- Every row holds its position in the complaint's history (seq 1, 2, …), the hash of the event before
-- it (prev_hash; NULL for the first) and its own hash: sha256 over a canonical text of the event.
-- The chain is computed here, in a BEFORE INSERT trigger, because events have many writers (Prisma
-- creates, raw INSERTs, other triggers): none of them has to know about it.
--
-- Canonical text (services/audit/event-hash.ts recomputes it in Node and must agree byte for byte):
-- the jsonb text of the array
--   ["v1", complaint_id, seq, id, type, actor_type, actor_id, channel, payload,
--    occurred_at as YYYY-MM-DDTHH:MI:SS.MSZ (UTC), prev_hash]
-- jsonb's text form is canonical (object keys sorted, fixed spacing), so the payload's key order
-- as written does not matter. hash = lower-case hex of sha256 of that text in UTF-8.
--
-- complaint_audit_head keeps each complaint's latest hash and event count, updated by the same
-- trigger: deleting the newest events (which leaves an intact, shorter chain) is caught by comparing
-- the chain with its head. Publishing a digest of all heads elsewhere (npm run audit:verify -- --heads)
-- anchors them against someone who rewrites a chain and its head consistently.

ALTER TABLE "complaint_event" ADD COLUMN "seq" INTEGER,
    ADD COLUMN "prev_hash" CHAR(64),
    ADD COLUMN "hash" CHAR(64);

CREATE TABLE "complaint_audit_head" (
    "complaint_id" UUID NOT NULL,
    "event_count" INTEGER NOT NULL,
    "head_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "complaint_audit_head_pkey" PRIMARY KEY ("complaint_id")
);
ALTER TABLE "complaint_audit_head" ADD CONSTRAINT "complaint_audit_head_complaint_id_fkey" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "complaint_event_hash"(e "complaint_event") RETURNS CHAR(64) LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    'v1', e."complaint_id"::text, e."seq", e."id", e."type", e."actor_type"::text, e."actor_id", e."channel",
    e."payload", to_char(e."occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), e."prev_hash"
  )::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION "complaint_event_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head "complaint_audit_head"%ROWTYPE;
BEGIN
  -- One writer per complaint at a time (released at commit): the next event sees the head the
  -- previous one left. Class id 1096107092 = 'AUDT', so no other advisory lock of the app collides.
  PERFORM pg_advisory_xact_lock(1096107092, hashtext(NEW."complaint_id"::text));
  SELECT * INTO head FROM "complaint_audit_head" WHERE "complaint_id" = NEW."complaint_id";
  NEW."seq" := COALESCE(head."event_count", 0) + 1;
  NEW."prev_hash" := head."head_hash";
  NEW."hash" := "complaint_event_hash"(NEW);
  INSERT INTO "complaint_audit_head" ("complaint_id", "event_count", "head_hash", "updated_at")
    VALUES (NEW."complaint_id", NEW."seq", NEW."hash", clock_timestamp())
    ON CONFLICT ("complaint_id") DO UPDATE
      SET "event_count" = EXCLUDED."event_count", "head_hash" = EXCLUDED."head_hash", "updated_at" = EXCLUDED."updated_at";
  RETURN NEW;
END;
$$;

-- Backfill: chain the events already recorded, in the order they were written (id).
ALTER TABLE "complaint_event" DISABLE TRIGGER "complaint_event_no_update_delete";
DO $$
DECLARE
  e "complaint_event";
  cur_complaint UUID;
  n INTEGER;
  prev CHAR(64);
BEGIN
  FOR e IN SELECT * FROM "complaint_event" ORDER BY "complaint_id", "id" LOOP
    IF cur_complaint IS DISTINCT FROM e."complaint_id" THEN
      IF cur_complaint IS NOT NULL THEN
        INSERT INTO "complaint_audit_head" VALUES (cur_complaint, n, prev, clock_timestamp());
      END IF;
      cur_complaint := e."complaint_id"; n := 0; prev := NULL;
    END IF;
    n := n + 1;
    e."seq" := n;
    e."prev_hash" := prev;
    e."hash" := "complaint_event_hash"(e);
    UPDATE "complaint_event" SET "seq" = e."seq", "prev_hash" = e."prev_hash", "hash" = e."hash" WHERE "id" = e."id";
    prev := e."hash";
  END LOOP;
  IF cur_complaint IS NOT NULL THEN
    INSERT INTO "complaint_audit_head" VALUES (cur_complaint, n, prev, clock_timestamp());
  END IF;
END;
$$;
ALTER TABLE "complaint_event" ENABLE TRIGGER "complaint_event_no_update_delete";

CREATE TRIGGER "complaint_event_chain"
  BEFORE INSERT ON "complaint_event"
  FOR EACH ROW EXECUTE FUNCTION "complaint_event_chain"();

-- The verifier walks each complaint's chain in order.
CREATE UNIQUE INDEX "complaint_event_complaint_id_seq_key" ON "complaint_event"("complaint_id", "seq");
