-- Audit integrity (issue 8): complaint_audit_head — each complaint's latest hash and event count — is
-- written only by the chain trigger on complaint_event. A direct INSERT, UPDATE, DELETE or TRUNCATE
-- (outside any trigger) is refused, as edits of complaint_event itself are. Someone who disables
-- triggers can still rewrite events and heads consistently; heads kept outside the database
-- (`npm run audit:verify -- --heads-out` / `--anchor`) catch that.
CREATE FUNCTION "complaint_audit_head_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The chain trigger's own write runs at depth 2 (this trigger inside complaint_event's).
  IF TG_LEVEL = 'STATEMENT' OR pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'complaint_audit_head is kept by the audit chain trigger only (% refused)', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "complaint_audit_head_guard"
  BEFORE INSERT OR UPDATE OR DELETE ON "complaint_audit_head"
  FOR EACH ROW EXECUTE FUNCTION "complaint_audit_head_guard"();
CREATE TRIGGER "complaint_audit_head_no_truncate"
  BEFORE TRUNCATE ON "complaint_audit_head"
  FOR EACH STATEMENT EXECUTE FUNCTION "complaint_audit_head_guard"();
